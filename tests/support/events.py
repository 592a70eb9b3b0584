"""Publishing and catching events on the real broker, as another service would."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aio_pika

from tests.support.platform import AMQP_URL
from ticketing_contracts import EXCHANGE, Event
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.outbox import envelope_for


async def publish(
    publisher: ConfirmedPublisher, event: Event, *, message_id: str | None = None
) -> str:
    """Publish ``event`` as its owning service would; returns the message id."""
    envelope = envelope_for(event, source=event.source_service)
    headers = envelope.to_headers()
    if message_id:
        headers["ce-id"] = message_id
    await publisher.publish(
        routing_key=event.event_type,
        body=event.model_dump_json().encode(),
        headers=headers,
        message_id=headers["ce-id"],
    )
    return headers["ce-id"]


class Catcher:
    """A temporary queue bound to some event types, like another team's subscriber."""

    def __init__(self, queue: aio_pika.abc.AbstractQueue) -> None:
        self.queue = queue

    async def take(self) -> list[aio_pika.abc.AbstractIncomingMessage]:
        taken = []
        while (message := await self.queue.get(no_ack=True, fail=False)) is not None:
            taken.append(message)
        return taken


@asynccontextmanager
async def catching(*event_types: str) -> AsyncIterator[Catcher]:
    connection = await aio_pika.connect(AMQP_URL)
    channel = await connection.channel()
    queue = await channel.declare_queue(f"tests.catch.{uuid.uuid4().hex[:8]}", exclusive=True)
    exchange = await channel.get_exchange(EXCHANGE)
    for event_type in event_types:
        await queue.bind(exchange, routing_key=event_type)
    try:
        yield Catcher(queue)
    finally:
        await connection.close()
