from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from faststream.rabbit import RabbitBroker

from tests.support import runtime_harness as harness
from tests.support.platform import AMQP_URL
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import EventConsumer
from ticketing_runtime.database import Database
from ticketing_runtime.topology import declare_consumer

ConsumerFactory = Callable[..., Awaitable[EventConsumer]]


@pytest.fixture
async def runtime_db(infrastructure: None) -> AsyncIterator[Database]:
    await harness.prepare_schema()
    database = Database(harness.settings())
    yield database
    await database.dispose()


@pytest.fixture
async def publisher(infrastructure: None) -> AsyncIterator[ConfirmedPublisher]:
    confirmed = ConfirmedPublisher(AMQP_URL, "tests")
    await confirmed.connect()
    yield confirmed
    await confirmed.close()


@pytest.fixture
async def start_consumer(
    runtime_db: Database, publisher: ConfirmedPublisher
) -> AsyncIterator[ConsumerFactory]:
    """Start a real consumer (FastStream on RabbitMQ) on a fresh queue; cleaned up afterwards."""
    brokers: list[RabbitBroker] = []
    queues: list[str] = []

    async def start(
        configure: Callable[[EventConsumer], None], retry_delays_ms: list[int] | None = None
    ) -> EventConsumer:
        database = runtime_db
        if retry_delays_ms is not None:
            database = Database(harness.settings(retry_delays_ms=retry_delays_ms))
        consumer = EventConsumer(harness.SCHEMA, f"t{uuid.uuid4().hex[:8]}", database)
        configure(consumer)
        await declare_consumer(publisher.channel, consumer.queues, consumer.routing_keys)
        queues.extend(
            [consumer.queues.main, consumer.queues.parking_lot]
            + [f"{consumer.queues.main}.retry.{d}ms" for d in consumer.queues.retry_delays_ms]
        )
        broker = RabbitBroker(AMQP_URL, graceful_timeout=5)
        consumer.attach(broker, publisher, prefetch=16)
        await broker.start()
        brokers.append(broker)
        return consumer

    yield start
    for broker in brokers:
        await broker.stop()
    channel = await publisher.connection.channel()
    for name in queues:
        await channel.queue_delete(name)
    await channel.close()
