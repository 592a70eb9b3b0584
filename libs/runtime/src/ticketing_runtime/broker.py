"""The publishing side of the broker: one robust connection with publisher confirms."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import AbstractRobustChannel, AbstractRobustConnection, DeliveryMode
from aiormq import spec

from ticketing_contracts import EXCHANGE
from ticketing_runtime.topology import declare_events_exchange

log = logging.getLogger(__name__)


class BrokerUnavailable(RuntimeError):
    pass


class ConfirmedPublisher:
    """Publishes persistent messages and returns only once RabbitMQ confirmed them.

    The connection is robust: after a broker restart it reconnects by itself; a publish attempted
    while it is down raises, and the caller (relay, retry) keeps the message and tries again.
    """

    def __init__(self, url: str, connection_name: str) -> None:
        self._url = url
        self._name = connection_name
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None

    async def connect(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self._url, client_properties={"connection_name": self._name}, reconnect_interval=1
        )
        channel = await self._connection.channel(publisher_confirms=True)
        assert isinstance(channel, AbstractRobustChannel)
        self._channel = channel
        await declare_events_exchange(channel)

    @property
    def channel(self) -> AbstractRobustChannel:
        if self._channel is None:
            raise BrokerUnavailable("publisher is not connected")
        return self._channel

    @property
    def connection(self) -> AbstractRobustConnection:
        if self._connection is None:
            raise BrokerUnavailable("publisher is not connected")
        return self._connection

    def is_connected(self) -> bool:
        return bool(
            self._connection is not None
            and not self._connection.is_closed
            and self._channel is not None
            and not self._channel.is_closed
        )

    async def publish(
        self,
        *,
        routing_key: str,
        body: bytes,
        headers: Mapping[str, Any],
        message_id: str | None = None,
        correlation_id: str | None = None,
        exchange: str = EXCHANGE,
        content_type: str = "application/json",
    ) -> None:
        message = aio_pika.Message(
            body=body,
            headers=dict(headers),
            content_type=content_type,
            delivery_mode=DeliveryMode.PERSISTENT,
            message_id=message_id,
            correlation_id=correlation_id,
            timestamp=datetime.now(UTC),
            type=headers.get("ce-type"),
        )
        if not self.is_connected():
            raise BrokerUnavailable("broker connection is down")
        target = (
            self.channel.default_exchange
            if exchange == ""
            else await self.channel.get_exchange(exchange, ensure=False)
        )
        await target.publish(message, routing_key=routing_key, timeout=10)

    def send(
        self,
        *,
        routing_key: str,
        body: bytes,
        headers: dict[str, Any],
        message_id: str | None = None,
        correlation_id: str | None = None,
        exchange: str = EXCHANGE,
        content_type: str = "application/json",
    ) -> Coroutine[Any, Any, None]:
        """One publish of a batch, sent straight on the channel underneath (no per-message
        ``aio_pika.Message``): await many together with ``confirmed``. Like ``publish`` it is
        persistent, mandatory, and done only once RabbitMQ confirmed it (a nack raises)."""
        properties = spec.Basic.Properties(
            content_type=content_type,
            delivery_mode=int(DeliveryMode.PERSISTENT),
            headers=headers,
            message_id=message_id,
            correlation_id=correlation_id,
            timestamp=datetime.now(UTC),
            message_type=headers.get("ce-type"),
        )
        return self._send(exchange, routing_key, body, properties)

    async def _send(
        self, exchange: str, routing_key: str, body: bytes, properties: spec.Basic.Properties
    ) -> None:
        if not self.is_connected():
            raise BrokerUnavailable("broker connection is down")
        channel = await self.channel.get_underlay_channel()
        await channel.basic_publish(
            body,
            exchange=exchange,
            routing_key=routing_key,
            properties=properties,
            mandatory=True,
            timeout=10,
        )

    async def confirmed(self, sends: Iterable[Coroutine[Any, Any, None]]) -> None:
        """Every send in flight at once (pipelined on the one channel); returns when all were
        confirmed, raises if any was not."""
        await asyncio.gather(*sends)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
