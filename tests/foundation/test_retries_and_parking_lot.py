"""A failing handler is retried with growing delays, then parked; a replayed message succeeds."""

from __future__ import annotations

import asyncio
import itertools
import struct
import time
import uuid
from functools import partial
from typing import Any

import httpx
import pamqp.encode as pamqp_encode
import pytest
from prometheus_client import REGISTRY

from tests.foundation.conftest import ConsumerFactory
from tests.support import runtime_harness as harness
from tests.support.runtime_harness import RuntimeProbeV1
from tests.support.waiting import eventually
from ticketing_contracts import PlatformProbeRequestedV1
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import CONSUMED, Delivery, EventConsumer
from ticketing_runtime.database import Database
from ticketing_runtime.outbox import envelope_for
from ticketing_runtime.parking_lot import list_parked, replay_parked
from ticketing_runtime.relay import OutboxRelay

pytestmark = pytest.mark.infra
# the last delay far above the others: the broker may deliver a retry late (a quorum queue's
# dead-letter worker, just declared, once held the first 200 ms retry for 1.1 s), never early
DELAYS_MS = [200, 600, 4000]


async def test_failing_handler_is_retried_with_growing_delays_then_parked_and_replayed(
    runtime_db: Database, publisher: ConfirmedPublisher, start_consumer
) -> None:
    attempts: list[tuple[int, float]] = []
    applied: list[int] = []
    broken = True

    def configure(consumer: EventConsumer) -> None:
        @consumer.handles(RuntimeProbeV1)
        async def on_probe(delivery: Delivery[RuntimeProbeV1]) -> None:
            attempts.append((delivery.attempt, time.monotonic()))
            if broken:
                raise RuntimeError("downstream says no")
            applied.append(delivery.event.n)

    consumer = await start_consumer(configure, retry_delays_ms=DELAYS_MS)
    await harness.record(runtime_db, [RuntimeProbeV1(n=42)])
    stop = asyncio.Event()
    relay = asyncio.create_task(OutboxRelay(runtime_db, publisher).run(stop))
    try:
        parked = await eventually(
            lambda: list_parked(publisher, consumer.queues), timeout=30, what="the parked message"
        )
    finally:
        stop.set()
        await relay

    assert [a for a, _ in attempts] == [1, 2, 3, 4]
    gaps = [later - earlier for (_, earlier), (_, later) in itertools.pairwise(attempts)]
    # each retry waited at least its own delay (so the delays are used in their order) ...
    for gap, delay_ms in zip(gaps, DELAYS_MS, strict=True):
        assert gap >= delay_ms / 1000 * 0.9, (gaps, DELAYS_MS)
    # ... and the early ones did not wait the longest (lateness cannot make up 1.8 s)
    assert max(gaps[0], gaps[1]) < DELAYS_MS[-1] / 1000 * 0.9 <= gaps[2], (
        f"delays must grow: {gaps}"
    )
    assert len(parked) == 1
    assert parked[0].reason == "RuntimeError: downstream says no"
    assert parked[0].attempts == 4
    assert parked[0].event_type == RuntimeProbeV1.event_type
    assert applied == []

    broken = False
    result = await replay_parked(publisher, consumer.queues)
    assert len(result.replayed) == 1
    await eventually(lambda: applied == [42], what="the replayed message to be applied")
    assert await list_parked(publisher, consumer.queues) == []


async def test_unreadable_message_is_parked_at_once_and_listed_and_replayed_through_the_api(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], publisher: ConfirmedPublisher
) -> None:
    envelope = envelope_for(
        PlatformProbeRequestedV1(probe_id="prb_poison", requested_at="2026-01-01T00:00:00Z"),  # type: ignore[arg-type]
        source="tests",
    )
    await publisher.publish(
        routing_key=PlatformProbeRequestedV1.event_type,
        body=b'{"probe_id": 17',
        headers=envelope.to_headers(),
        message_id=envelope.id,
    )
    url = "/v1/admin/services/inventory/parking-lot"

    async def parked_poison() -> list[dict[str, object]]:
        answer = await gateway.get(url, headers=admin_headers)
        assert answer.status_code == 200, answer.text
        return [m for m in answer.json() if m["message_id"] == envelope.id]

    [parked] = await eventually(parked_poison, what="the poison message in the parking lot")
    assert str(parked["reason"]).startswith("unreadable: body is not a valid")
    assert parked["body"] == '{"probe_id": 17'

    replay = await gateway.post(
        f"{url}/replay", headers=admin_headers, json={"message_ids": [envelope.id]}
    )
    assert replay.status_code == 200, replay.text
    assert replay.json()["replayed"] == [envelope.id]
    # still unreadable: it comes back to the parking lot, never lost
    [again] = await eventually(parked_poison, what="the replayed poison message parked again")
    assert again["attempts"] == 1

    for service in ("inventory", "orders", "payments", "documents", "notifications"):
        lot = f"/v1/admin/services/{service}/parking-lot"
        await eventually(
            partial(_lists, gateway, lot, admin_headers, envelope.id), what=f"{service} lot"
        )
        discarded = await gateway.post(
            f"{lot}/discard", headers=admin_headers, json={"message_ids": [envelope.id]}
        )
        assert discarded.json() == {"discarded": [envelope.id]}, service
        assert not await _lists(gateway, lot, admin_headers, envelope.id)


async def _probe_consumer(start_consumer: ConsumerFactory, applied: list[int]) -> EventConsumer:
    def configure(consumer: EventConsumer) -> None:
        @consumer.handles(RuntimeProbeV1)
        async def on_probe(delivery: Delivery[RuntimeProbeV1]) -> None:
            applied.append(delivery.event.n)

    return await start_consumer(configure, retry_delays_ms=DELAYS_MS)


async def _send_probe(
    publisher: ConfirmedPublisher, consumer: EventConsumer, headers: dict[str, object]
) -> str:
    event = RuntimeProbeV1(n=7)
    envelope = envelope_for(event, source="tests")
    await publisher.publish(
        exchange="",
        routing_key=consumer.queues.main,
        body=event.model_dump_json().encode(),
        headers={**envelope.to_headers(), **headers},
        message_id=envelope.id,
    )
    return envelope.id


@pytest.mark.parametrize(
    "odd",
    [
        {"ce-source": b"\xff\xfe not UTF-8"},
        {"ce-time": b"\xff"},
    ],
)
async def test_a_message_with_undecodable_headers_is_parked_not_left_unacked(
    publisher: ConfirmedPublisher,
    start_consumer,
    odd: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A publisher in another language may put any bytes in a string header: pamqp hands a long
    string that is not UTF-8 over as ``bytes``. Our publisher would refuse to write one, so it is
    taught to here, as such a stranger would."""
    written = pamqp_encode.encode_table_value

    def long_string_as_is(value: Any) -> bytes:
        if isinstance(value, bytes):
            return b"S" + struct.pack(">I", len(value)) + value
        return written(value)

    monkeypatch.setattr(pamqp_encode, "encode_table_value", long_string_as_is)
    applied: list[int] = []
    consumer = await _probe_consumer(start_consumer, applied)
    message_id = await _send_probe(publisher, consumer, odd)
    [parked] = await eventually(
        lambda: list_parked(publisher, consumer.queues), what="the odd message parked"
    )
    assert parked.message_id == message_id
    assert str(parked.reason).startswith("unreadable: "), parked.reason
    assert "a header is not UTF-8 text" in str(parked.reason)
    assert applied == []


async def test_an_unreadable_messages_type_is_counted_as_unknown_unless_it_is_handled(
    publisher: ConfirmedPublisher, start_consumer
) -> None:
    """A stranger's made-up types must not become metric series (one per type, for ever)."""
    applied: list[int] = []
    consumer = await _probe_consumer(start_consumer, applied)
    made_up = f"stranger.{uuid.uuid4().hex}.v1"
    before = _parked_count(consumer.name, "unknown")
    await _send_probe(publisher, consumer, {"ce-type": made_up})
    await eventually(
        lambda: _parked_count(consumer.name, "unknown") == before + 1, what="counted as unknown"
    )
    samples = {s.labels.get("event_type") for m in CONSUMED.collect() for s in m.samples}
    assert made_up not in samples
    assert applied == []


def _parked_count(consumer: str, event_type: str) -> float:
    labels = {"consumer": consumer, "event_type": event_type, "outcome": "parked"}
    return REGISTRY.get_sample_value("ticketing_messages_consumed_total", labels) or 0.0


async def test_an_attempt_count_that_is_not_a_number_counts_as_the_first(
    publisher: ConfirmedPublisher, start_consumer
) -> None:
    applied: list[int] = []
    consumer = await _probe_consumer(start_consumer, applied)
    await _send_probe(publisher, consumer, {"x-attempt": "many"})
    await eventually(lambda: applied == [7], what="the message applied")
    assert await list_parked(publisher, consumer.queues) == []


async def _lists(
    gateway: httpx.AsyncClient, lot: str, headers: dict[str, str], message_id: str
) -> bool:
    # the whole lot (up to the API's maximum), not the first page: a developer's lots fill up
    answer = await gateway.get(lot, headers=headers, params={"limit": 1000})
    return any(m["message_id"] == message_id for m in answer.json())


async def test_parking_lot_api_needs_an_admin(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    anonymous = await gateway.get("/v1/admin/services/orders/parking-lot")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    session = (await gateway.post("/v1/sessions")).json()["token"]
    customer = await gateway.get(
        "/v1/admin/services/orders/parking-lot", headers={"Authorization": f"Bearer {session}"}
    )
    assert customer.status_code == 403
    unknown = await gateway.get("/v1/admin/services/nope/parking-lot", headers=admin_headers)
    assert unknown.status_code == 422
    assert "gateway" in unknown.json()["detail"]


async def test_replaying_the_whole_lot_replays_past_one_batch_and_counts_what_is_left(
    publisher: ConfirmedPublisher, start_consumer
) -> None:
    """After an outage the lot holds more than one batch: "replay all" replays every message,
    and what it says is left is the broker's own count (it said 0 with hundreds still there)."""
    applied: list[int] = []

    def configure(consumer: EventConsumer) -> None:
        @consumer.handles(RuntimeProbeV1)
        async def on_probe(delivery: Delivery[RuntimeProbeV1]) -> None:
            applied.append(delivery.event.n)

    consumer = await start_consumer(configure, retry_delays_ms=DELAYS_MS)
    for n in range(25):
        event = RuntimeProbeV1(n=n)
        envelope = envelope_for(event, source="tests")
        await publisher.publish(
            exchange="",
            routing_key=consumer.queues.parking_lot,
            body=event.model_dump_json().encode(),
            headers={**envelope.to_headers(), "x-parked-reason": "the database was down"},
            message_id=envelope.id,
        )

    named = await replay_parked(publisher, consumer.queues, message_ids=set(), limit=10)
    assert (named.replayed, named.remaining) == ([], 25)
    result = await replay_parked(publisher, consumer.queues, limit=10)

    assert (len(result.replayed), result.remaining) == (25, 0)
    await eventually(lambda: sorted(applied) == list(range(25)), what="all 25 applied")
