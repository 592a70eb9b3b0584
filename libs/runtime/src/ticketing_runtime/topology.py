"""RabbitMQ topology: the events exchange, consumer queues, retry tiers and parking lots.

```
ticketing.events (topic, durable) ──binding per event type──▶ <service>.<consumer>  (quorum)
   └─ alternate-exchange ▶ ticketing.unroutable (fanout) ▶ ticketing.unroutable (quorum, 7 d)
<queue>.retry.<delay>ms (quorum, TTL) ──dead-letter via default exchange──▶ <queue>
<queue>.parking-lot (classic, durable): messages that exhausted their retries or can't be read
```
The parking lot is a classic queue because listing it requeues messages, and quorum queues
count requeues against a delivery limit (RabbitMQ 4 drops at 20 by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, ExchangeType

from ticketing_contracts import EXCHANGE

UNROUTABLE = "ticketing.unroutable"
#: Events no queue was bound to are kept this long for inspection, then expire.
UNROUTABLE_ARGUMENTS: dict[str, Any] = {
    "x-queue-type": "quorum",
    "x-message-ttl": 7 * 24 * 3600 * 1000,
    "x-max-length": 1_000_000,
}
QUORUM: dict[str, Any] = {"x-queue-type": "quorum"}


@dataclass(frozen=True)
class ConsumerQueues:
    """The queue names of one consumer group."""

    main: str
    retry_delays_ms: tuple[int, ...]

    def retry(self, attempt: int) -> str:
        """Retry queue after failed attempt ``attempt`` (1-based): delays grow with attempts."""
        delay = self.retry_delays_ms[min(attempt, len(self.retry_delays_ms)) - 1]
        return f"{self.main}.retry.{delay}ms"

    @property
    def parking_lot(self) -> str:
        return f"{self.main}.parking-lot"


async def declare_events_exchange(channel: AbstractChannel) -> aio_pika.abc.AbstractExchange:
    unroutable = await channel.declare_exchange(UNROUTABLE, ExchangeType.FANOUT, durable=True)
    queue = await channel.declare_queue(UNROUTABLE, durable=True, arguments=UNROUTABLE_ARGUMENTS)
    await queue.bind(unroutable)
    return await channel.declare_exchange(
        EXCHANGE,
        ExchangeType.TOPIC,
        durable=True,
        arguments={"alternate-exchange": UNROUTABLE},
    )


async def declare_consumer(
    channel: AbstractChannel, queues: ConsumerQueues, routing_keys: Iterable[str]
) -> None:
    exchange = await declare_events_exchange(channel)
    main = await channel.declare_queue(queues.main, durable=True, arguments=QUORUM)
    for key in sorted(set(routing_keys)):
        await main.bind(exchange, routing_key=key)
    for delay in sorted(set(queues.retry_delays_ms)):
        await channel.declare_queue(
            f"{queues.main}.retry.{delay}ms",
            durable=True,
            arguments={
                **QUORUM,
                "x-message-ttl": delay,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": queues.main,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )
    await channel.declare_queue(queues.parking_lot, durable=True)


def consumer_queues(service: str, consumer: str, delays_ms: Sequence[int]) -> ConsumerQueues:
    return ConsumerQueues(main=f"{service}.{consumer}", retry_delays_ms=tuple(delays_ms))
