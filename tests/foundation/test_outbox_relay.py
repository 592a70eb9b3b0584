"""Outbox, relay and inbox on real PostgreSQL and RabbitMQ: nothing lost, nothing applied twice."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from tests.support import runtime_harness as harness
from tests.support.platform import ROOT
from tests.support.runtime_harness import RuntimeProbeV1
from tests.support.waiting import eventually
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import CONSUMED, Delivery, EventConsumer
from ticketing_runtime.database import Database
from ticketing_runtime.relay import OutboxRelay
from ticketing_runtime.topology import UNROUTABLE

pytestmark = pytest.mark.infra


def recording(seen: list[int]):
    def configure(consumer: EventConsumer) -> None:
        @consumer.handles(RuntimeProbeV1)
        async def on_probe(delivery: Delivery[RuntimeProbeV1]) -> None:
            seen.append(delivery.event.n)

    return configure


async def test_rolled_back_event_is_never_published_and_committed_one_is(
    runtime_db: Database, publisher: ConfirmedPublisher, start_consumer
) -> None:
    seen: list[int] = []
    await start_consumer(recording(seen))
    await harness.record(runtime_db, [RuntimeProbeV1(n=1)], commit=False)
    await harness.record(runtime_db, [RuntimeProbeV1(n=2)])

    stop = asyncio.Event()
    relay = asyncio.create_task(OutboxRelay(runtime_db, publisher).run(stop))
    try:
        # the relay publishes in commit order: once 2 arrived, 1 would have arrived before it
        await eventually(lambda: 2 in seen, what="the committed event")
        assert seen == [2]

        # the relay marks its batch after the broker confirmed it, so the consumer may see the
        # event a moment before the row is marked: wait for the mark, then nothing is left
        async def all_marked() -> bool:
            return await harness.unpublished(runtime_db) == 0

        await eventually(all_marked, what="the committed row marked published")
        assert seen == [2]
    finally:
        stop.set()
        await relay


async def test_relay_killed_between_publish_and_mark_republishes_and_inbox_applies_once(
    runtime_db: Database, start_consumer
) -> None:
    seen: list[int] = []
    consumer = await start_consumer(recording(seen))
    duplicates = CONSUMED.labels(consumer.name, RuntimeProbeV1.event_type, "duplicate")
    await harness.record(runtime_db, [RuntimeProbeV1(n=7)])

    killed = _relay_process(chaos="outbox_relay.after_publish")
    assert killed.returncode == -9, killed.stdout
    assert await harness.unpublished(runtime_db) == 1, "the kill came before the row was marked"
    await eventually(lambda: seen == [7], what="the first delivery")

    finished = _relay_process(chaos=None)
    assert finished.returncode == 0, finished.stdout
    assert await harness.unpublished(runtime_db) == 0
    await eventually(lambda: duplicates._value.get() == 1, what="the redelivery")
    assert seen == [7], "received twice, applied once"


async def test_two_relays_on_one_outbox_publish_every_row_exactly_once(
    runtime_db: Database, publisher: ConfirmedPublisher, start_consumer
) -> None:
    seen: list[int] = []
    consumer = await start_consumer(recording(seen))
    duplicates = CONSUMED.labels(consumer.name, RuntimeProbeV1.event_type, "duplicate")
    second_db = Database(harness.settings())
    stop = asyncio.Event()
    relays = [
        asyncio.create_task(OutboxRelay(db, publisher).run(stop)) for db in (runtime_db, second_db)
    ]
    try:
        total = 0
        for batch in range(30):  # written while both relays run
            await harness.record(runtime_db, [RuntimeProbeV1(n=batch * 20 + i) for i in range(20)])
            total += 20
        await eventually(lambda: len(seen) >= total, timeout=60, what="every event")
        counts = Counter(seen)
        assert sorted(counts) == list(range(total))
        assert max(counts.values()) == 1
        assert duplicates._value.get() == 0, "no relay published a row the other one did"

        async def all_marked() -> bool:  # marked after the confirms, so maybe after delivery
            return await harness.unpublished(runtime_db) == 0

        await eventually(all_marked, what="every row marked published")
    finally:
        stop.set()
        await asyncio.gather(*relays)
        await second_db.dispose()


def _relay_process(chaos: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TICKETING_CHAOS"}
    if chaos:
        env["TICKETING_CHAOS"] = chaos
    return subprocess.run(
        [sys.executable, "-m", "tests.support.runtime_harness"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_event_nobody_subscribes_to_is_kept_in_the_unroutable_queue(
    runtime_db: Database, publisher: ConfirmedPublisher
) -> None:
    channel = await publisher.connection.channel()
    unroutable = await channel.get_queue(UNROUTABLE)
    await unroutable.purge()
    await harness.record(runtime_db, [RuntimeProbeV1(n=99)])
    stop = asyncio.Event()
    relay = asyncio.create_task(OutboxRelay(runtime_db, publisher).run(stop))
    try:
        message = await eventually(
            lambda: unroutable.get(no_ack=True, fail=False), what="the unroutable event"
        )
    finally:
        stop.set()
        await relay
        await channel.close()
    assert message is not None
    assert message.headers["ce-type"] == RuntimeProbeV1.event_type
    assert json.loads(message.body)["n"] == 99
