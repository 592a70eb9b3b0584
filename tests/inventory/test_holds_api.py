"""Holds through the gateway on the real stack: no oversell, no ghost holds, clear refusals."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import redis.asyncio as aioredis

from tests.support import catalogue, purchase
from tests.support.catalogue import STAFF, Show, session
from tests.support.edge import past_the_edge
from tests.support.events import catching, publish
from tests.support.platform import AMQP_URL, restart, stack, staff_token
from tests.support.waiting import eventually
from ticketing_contracts import Customer, Money, OrderPaidV1
from ticketing_contracts.events import IssuedTicket
from ticketing_inventory.settings import InventorySettings
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.identity import Identity, sign_identity
from ticketing_runtime.settings import ServiceSettings

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"
ADMIN = {"Authorization": f"Bearer {staff_token('admin')}"}
SCANNER = {"Authorization": f"Bearer {staff_token('scanner')}"}  # box-office staff may hold


@pytest.fixture
async def publisher(infrastructure: None):
    confirmed = ConfirmedPublisher(AMQP_URL, "tests-inventory")
    await confirmed.connect()
    yield confirmed
    await confirmed.close()


def paid(show: Show, hold: dict[str, Any], order_id: str | None = None) -> OrderPaidV1:
    tickets = [
        IssuedTicket(
            ticket_id=f"tkt_{uuid.uuid4().hex}",
            ticket_number="T",
            tier_id=line["tier_id"],
            seat_id=seat,
        )
        for line in hold["lines"]
        for seat in (line["seat_ids"] or [None] * line["quantity"])
    ]
    return OrderPaidV1(
        order_id=order_id or f"ord_{uuid.uuid4().hex}",
        order_number="ORD-TEST",
        hold_id=hold["hold_id"],
        performance_id=show.performance_id,
        customer=Customer(name="Ana", email="ana@example.test"),
        total=Money(amount=0, currency="EUR"),
        payment_intent_id="pi_test",
        tickets=tickets,
        paid_at=datetime.now(UTC),
    )


async def sold_in_postgres(admin_db: asyncpg.Connection, performance_id: str) -> int:
    return int(
        await admin_db.fetchval(
            "SELECT count(*) FROM inventory.sales WHERE performance_id = $1 AND status = 'live'",
            performance_id,
        )
    )


async def test_500_concurrent_holds_on_100_units_hold_exactly_100_and_sell_exactly_100(
    gateway: httpx.AsyncClient, publisher: ConfirmedPublisher, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=100)
    tier = show.tiers["Floor"]
    # 200 buyers, at most 3 attempts each: none is refused for holding too many at once
    sessions = [await session(gateway) for _ in range(200)]
    rng = random.Random(7)

    async def attempt(i: int) -> httpx.Response:
        body = {
            "performance_id": show.performance_id,
            "tiers": [{"tier_id": tier, "quantity": rng.randint(1, 4)}],
        }
        return await past_the_edge(
            lambda: gateway.post("/v1/holds", headers=sessions[i % 200], json=body)
        )

    answers = await asyncio.gather(*(attempt(i) for i in range(500)))
    holds = [a.json() for a in answers if a.status_code == 201]
    refusals = [a for a in answers if a.status_code != 201]
    assert sum(h["quantity"] for h in holds) == 100
    for refused in refusals:
        problem = refused.json()
        assert (refused.status_code, problem["type"].rsplit("/", 1)[1]) == (
            409,
            "not-enough-left",
        ), problem
        assert problem["available"] < 4
        assert "left" in problem["detail"]
    performance = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert performance["tiers"][0]["available"] == 0

    await asyncio.gather(*(publish(publisher, paid(show, hold)) for hold in holds))
    await eventually(
        lambda: _equals(sold_in_postgres(admin_db, show.performance_id), 100),
        timeout=60,
        what="100 sold",
    )
    assert (
        await admin_db.fetchval("SELECT sold FROM inventory.tiers WHERE tier_id = $1", tier) == 100
    )


async def _equals(value: Any, expected: Any) -> bool:
    return bool(await value == expected)


async def test_200_concurrent_attempts_on_overlapping_seats_never_hold_a_seat_twice(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.seated(gateway, {"A": 10, "B": 10})
    seat_ids = [s["seat_id"] for s in show.seats]
    # 100 buyers, 2 attempts each: none is refused for holding too many at once, every
    # refusal is about the seats
    sessions = [await session(gateway) for _ in range(100)]
    rng = random.Random(11)
    wanted = [rng.sample(seat_ids, rng.randint(1, 4)) for _ in range(200)]

    def attempt(i: int, seats: list[str]) -> Awaitable[httpx.Response]:
        body = {"performance_id": show.performance_id, "seats": seats}
        return past_the_edge(
            lambda: gateway.post("/v1/holds", headers=sessions[i % 100], json=body)
        )

    answers = await asyncio.gather(*(attempt(i, seats) for i, seats in enumerate(wanted)))
    held = Counter(
        s
        for a in answers
        if a.status_code == 201
        for line in a.json()["lines"]
        for s in line["seat_ids"]
    )
    assert held
    assert max(held.values()) == 1
    for answer, seats in zip(answers, wanted, strict=True):
        if answer.status_code != 201:
            problem = answer.json()
            assert problem["type"].endswith("/seat-taken"), problem
            assert set(problem["taken_seats"]) <= set(seats)
            assert problem["taken_seats"]

    async def seat_map_shows_them() -> bool:
        # each inventory process reads every seat's state at most once a second: another
        # process's holds show within it; the states alone, as the open map follows them, too
        answer = await gateway.get(f"/v1/performances/{show.performance_id}/seats")
        seats = answer.json()["seats"]
        states = await gateway.get(f"/v1/performances/{show.performance_id}/seat-states")
        taken = states.json()["taken"]
        in_map = {s["seat_id"] for s in seats if s["state"] == "held"}
        return in_map == set(held) == set(taken) and set(taken.values()) == {"held"}

    await eventually(seat_map_shows_them, timeout=5, what="the seat map showing the holds")


async def test_best_available_returns_adjacent_seats_whenever_a_contiguous_group_exists(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.seated(gateway, {"A": 6, "B": 6})
    row_a = [s for s in show.seats if s["row"] == "A"]
    buyer = await session(gateway)
    # break row A into runs of 2: seats 3 and 6 taken → no 3 together in A, but B is free
    taken = await gateway.post(
        "/v1/holds",
        headers=buyer,
        json={
            "performance_id": show.performance_id,
            "seats": [row_a[2]["seat_id"], row_a[5]["seat_id"]],
        },
    )
    assert taken.status_code == 201, taken.text
    best = await gateway.post(
        "/v1/holds",
        headers=buyer,
        json={"performance_id": show.performance_id, "best_available": {"quantity": 3}},
    )
    assert best.status_code == 201, best.text
    hold = best.json()
    assert hold["contiguous"] is True
    by_id = {s["seat_id"]: s for s in show.seats}
    chosen = sorted((by_id[s]["row"], by_id[s]["number"]) for s in hold["lines"][0]["seat_ids"])
    assert len({row for row, _ in chosen}) == 1
    numbers = [n for _, n in chosen]
    assert numbers == list(range(numbers[0], numbers[0] + 3))


async def test_a_hold_of_another_session_is_invisible(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    owner, stranger = await session(gateway), await session(gateway)
    hold = (
        await gateway.post(
            "/v1/holds",
            headers=owner,
            json={
                "performance_id": show.performance_id,
                "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 2}],
            },
        )
    ).json()
    url = f"/v1/holds/{hold['hold_id']}"
    assert (await gateway.get(url, headers=owner)).status_code == 200
    for call in (
        gateway.get(url, headers=stranger),
        gateway.delete(url, headers=stranger),
        gateway.post(f"{url}/extend", headers=stranger),
    ):
        answer = await call
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
    assert (await gateway.get(url, headers=owner)).json()["status"] == "held"


async def test_a_hold_being_paid_for_or_sold_says_so_when_given_back(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await purchase.place(gateway, show)
    url = f"/v1/holds/{placed.hold_id}"

    async def refused(answer: httpx.Response) -> str:
        assert (answer.status_code, answer.headers["content-type"]) == (409, PROBLEM)
        assert answer.json()["type"].endswith("/hold-not-active"), answer.text
        return str(answer.json()["hold_status"])

    assert await refused(await gateway.delete(url, headers=placed.buyer)) == "pinned"
    assert await refused(await gateway.post(f"{url}/extend", headers=placed.buyer)) == "pinned"
    await purchase.paid(gateway, placed)

    async def sold() -> bool:
        held = await gateway.get(url, headers=placed.buyer)
        return bool(held.json()["status"] == "committed")

    await eventually(sold, what="the hold sold")
    assert await refused(await gateway.delete(url, headers=placed.buyer)) == "committed"


async def test_holds_are_refused_with_the_reason(gateway: httpx.AsyncClient) -> None:
    past = await catalogue.general_admission(gateway, capacity=10, starts_in=timedelta(hours=-1))
    buyer = await session(gateway)

    async def hold(show: Show, quantity: int = 1) -> httpx.Response:
        return await gateway.post(
            "/v1/holds",
            headers=buyer,
            json={
                "performance_id": show.performance_id,
                "tiers": [{"tier_id": show.tiers["Floor"], "quantity": quantity}],
            },
        )

    refused = await hold(past)
    assert (refused.status_code, refused.json()["type"].rsplit("/", 1)[1]) == (
        409,
        "performance-past",
    )

    draft = await catalogue.general_admission(gateway, capacity=10, publish=False)
    assert (await hold(draft)).json()["type"].endswith("/performance-not-published")

    small = await catalogue.general_admission(gateway, capacity=10, max_per_order=4)
    over = await hold(small, 5)
    assert (over.status_code, over.json()["type"].rsplit("/", 1)[1]) == (422, "over-max-per-order")

    cancelled = await gateway.post(f"/v1/performances/{small.performance_id}/cancel", headers=STAFF)
    assert cancelled.status_code == 200
    assert (await hold(small)).json()["type"].endswith("/performance-cancelled")

    anonymous = await gateway.post(
        "/v1/holds", json={"performance_id": small.performance_id, "tiers": []}
    )
    assert anonymous.status_code == 401
    both = await gateway.post(
        "/v1/holds",
        headers=buyer,
        json={
            "performance_id": small.performance_id,
            "seats": ["x"],
            "best_available": {"quantity": 1},
        },
    )
    assert both.status_code == 422
    assert "exactly one" in both.json()["detail"]


async def test_order_paid_delivered_twice_makes_one_sale(
    gateway: httpx.AsyncClient, publisher: ConfirmedPublisher, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    buyer = await session(gateway)
    hold = (
        await gateway.post(
            "/v1/holds",
            headers=buyer,
            json={
                "performance_id": show.performance_id,
                "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 3}],
            },
        )
    ).json()
    event = paid(show, hold)
    async with catching("inventory.sale.committed.v1") as committed:
        message_id = await publish(publisher, event)
        await publish(publisher, event, message_id=message_id)  # a redelivery
        again = await publish(publisher, event)  # the same order again under a new message id

        async def all_consumed() -> bool:  # else the checks below run before the duplicates
            found = await admin_db.fetchval(
                "SELECT count(*) FROM inventory.inbox WHERE message_id = ANY($1::text[])",
                [message_id, again],
            )
            return bool(found == 2)

        await eventually(all_consumed, what="the three deliveries consumed")
        announced: list[dict[str, Any]] = []

        async def committed_once() -> bool:
            announced.extend(json.loads(m.body) for m in await committed.take())
            return any(a["order_id"] == event.order_id for a in announced)

        await eventually(committed_once, what="inventory.sale.committed")
    sale_events = await admin_db.fetchval(
        "SELECT count(*) FROM inventory.outbox WHERE routing_key = $1"
        " AND convert_from(body, 'UTF8') LIKE '%' || $2 || '%'",
        "inventory.sale.committed.v1",
        event.order_id,
    )
    assert sale_events == 1, "a duplicate delivery must not announce the sale again"
    assert await sold_in_postgres(admin_db, show.performance_id) == 3
    assert (
        await admin_db.fetchval(
            "SELECT sold FROM inventory.tiers WHERE tier_id = $1", show.tiers["Floor"]
        )
        == 3
    )
    report = await gateway.get(
        "/v1/admin/inventory/reconciliation",
        headers=ADMIN,
        params={"performance_id": show.performance_id},
    )
    assert report.status_code == 200, report.text
    assert report.json()["details"] == [], "Redis must still count the sale once"


def orders_identity() -> dict[str, str]:
    secret = ServiceSettings(service_name="orders").internal_token_secret.get_secret_value()
    token = sign_identity(Identity(kind="service", subject="orders"), secret)
    return {"X-Ticketing-Identity": token}


async def pin(
    gateway: httpx.AsyncClient, buyer: dict[str, str], hold_id: str, order_id: str, until: datetime
) -> httpx.Response:
    session_id = (await gateway.get("/v1/me", headers=buyer)).json()["subject"]
    async with httpx.AsyncClient(base_url=stack.PROCESSES["inventory"].url) as inventory:
        return await inventory.post(
            f"/internal/holds/{hold_id}/pin",
            headers=orders_identity(),
            json={"order_id": order_id, "until": until.isoformat(), "session_id": session_id},
        )


async def test_short_ttl_gives_capacity_back_without_sweeper_then_sweeper_announces_expiry(
    gateway: httpx.AsyncClient,
) -> None:
    inventory = stack.PROCESSES["inventory"]
    await restart("inventory", {"TICKETING_HOLD_SWEEP_INTERVAL_S": "0"})
    try:
        show = await catalogue.general_admission(gateway, capacity=4, hold_ttl_s=2)
        buyer = await session(gateway)
        body = {
            "performance_id": show.performance_id,
            "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 4}],
        }
        first = (await gateway.post("/v1/holds", headers=buyer, json=body)).json()
        assert (await gateway.post("/v1/holds", headers=buyer, json=body)).status_code == 409

        async def capacity_back() -> bool:
            return (await gateway.post("/v1/holds", headers=buyer, json=body)).status_code == 201

        async with catching("inventory.hold.expired.v1") as expired:
            await eventually(capacity_back, timeout=10, interval=0.2, what="capacity after the TTL")
            late = await pin(
                gateway,
                buyer,
                first["hold_id"],
                "ord_late",
                datetime.now(UTC) + timedelta(minutes=15),
            )
            assert (late.status_code, late.json()["type"].rsplit("/", 1)[1]) == (
                410,
                "hold-expired",
            )
            assert (await gateway.get(f"/v1/holds/{first['hold_id']}", headers=buyer)).json()[
                "status"
            ] == "expired"
            assert await expired.take() == []  # no sweeper, no announcement yet
            await restart("inventory")
            announced: list[str] = []  # other tests' holds expire too, maybe in other batches

            async def ours_announced() -> bool:
                announced.extend(json.loads(m.body)["hold_id"] for m in await expired.take())
                return first["hold_id"] in announced

            await eventually(ours_announced, what="this hold's hold.expired")
    finally:
        stack.start(inventory)
        await asyncio.to_thread(stack.wait_ready, [inventory])


async def test_redis_flushed_then_rebuilt_matches_postgres_and_keeps_pinned_holds(
    gateway: httpx.AsyncClient, publisher: ConfirmedPublisher, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=20)
    tier = show.tiers["Floor"]
    buyer = await session(gateway)

    async def hold(quantity: int) -> dict[str, Any]:
        answer = await gateway.post(
            "/v1/holds",
            headers=buyer,
            json={
                "performance_id": show.performance_id,
                "tiers": [{"tier_id": tier, "quantity": quantity}],
            },
        )
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    sold, pinned, _plain = await hold(5), await hold(4), await hold(3)
    await publish(publisher, paid(show, sold))
    await eventually(
        lambda: _equals(sold_in_postgres(admin_db, show.performance_id), 5), what="the sale"
    )
    assert (
        await pin(
            gateway,
            buyer,
            pinned["hold_id"],
            "ord_pinned",
            datetime.now(UTC) + timedelta(minutes=15),
        )
    ).status_code == 200

    client = aioredis.from_url(ServiceSettings(service_name="inventory").redis_url)
    await client.flushdb()
    await client.aclose()
    rebuilt = await gateway.post("/v1/admin/inventory/rebuild", headers=ADMIN)
    assert rebuilt.status_code == 200, rebuilt.text

    performance = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert performance["tiers"][0]["available"] == 20 - 5 - 4  # the plain hold was only in Redis
    again = (await gateway.get(f"/v1/holds/{pinned['hold_id']}", headers=buyer)).json()
    assert (again["status"], again["quantity"]) == ("pinned", 4)
    report = (await gateway.get("/v1/admin/inventory/reconciliation", headers=ADMIN)).json()
    assert (report["differences"], report["oversold"]) == (0, 0), report["details"]
    one = await gateway.get(
        "/v1/admin/inventory/reconciliation",
        headers=ADMIN,
        params={"performance_id": show.performance_id},
    )
    assert one.json()["performances"] == 1
    assert {t["performance_id"] for t in one.json()["tiers"]} == {show.performance_id}


async def test_bad_hold_requests_get_clear_problems(gateway: httpx.AsyncClient) -> None:
    """``POST /v1/holds`` skips FastAPI's router for speed: the same problems as any route."""
    show = await catalogue.general_admission(gateway, capacity=5)
    buyer = await session(gateway)
    cases: list[tuple[dict[str, str], Any, int, str]] = [
        ({}, {"performance_id": show.performance_id}, 401, "unauthenticated"),
        (SCANNER, {"performance_id": show.performance_id}, 403, "forbidden"),
        (buyer, {"performance_id": show.performance_id}, 422, "validation-error"),
        (
            buyer,
            {"performance_id": show.performance_id, "tiers": [{"quantity": 1}]},
            422,
            "tier_id",
        ),
        (buyer, "{not json", 422, "validation-error"),
        (
            buyer,
            {"performance_id": "perf_nope", "tiers": [{"tier_id": "t", "quantity": 1}]},
            404,
            "unknown-performance",
        ),
    ]
    for headers, body, status, mentioned in cases:
        content = body if isinstance(body, str) else json.dumps(body)
        answer = await gateway.post(
            "/v1/holds", headers={**headers, "Content-Type": "application/json"}, content=content
        )
        assert answer.status_code == status, (body, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert mentioned in answer.text
        assert answer.json()["detail"]


async def test_one_session_placing_50_holds_in_a_row_is_refused_after_its_limit(
    gateway: httpx.AsyncClient,
) -> None:
    """The per-session limit lives in the hold scripts: many addresses would not help a bot.
    Each hold is released at once: it is the placements that count, not the holds kept."""
    limit = InventorySettings().holds_per_session_per_minute
    show = await catalogue.general_admission(gateway, capacity=500)
    bot, human = await session(gateway), await session(gateway)
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 1}],
    }
    statuses: Counter[int] = Counter()
    refusals: list[httpx.Response] = []
    started = time.monotonic()
    for _ in range(50):
        answer = await gateway.post("/v1/holds", headers=bot, json=body)
        statuses[answer.status_code] += 1
        if answer.status_code == 201:
            hold_id = answer.json()["hold_id"]
            assert (await gateway.delete(f"/v1/holds/{hold_id}", headers=bot)).status_code == 200
        else:
            refusals.append(answer)
    elapsed = time.monotonic() - started
    assert set(statuses) == {201, 429}, statuses
    # one more every 60/limit s of the run
    assert limit <= statuses[201] <= limit + 1 + elapsed * limit / 60, (statuses, elapsed)
    for refused in refusals:
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"].endswith("/too-many-holds")
        assert f"at most {limit} hold placements per minute" in problem["detail"]
        assert int(refused.headers["retry-after"]) == problem["retry_after_s"] >= 1
    assert (await gateway.post("/v1/holds", headers=human, json=body)).status_code == 201
    seen = await gateway.get(f"/v1/performances/{show.performance_id}")
    assert seen.json()["tiers"][0]["available"] == 500 - 1


async def test_one_session_holding_many_at_once_is_refused_past_its_limit_and_a_clerk_is_not(
    gateway: httpx.AsyncClient,
) -> None:
    """Holds placed at once by one session: as many as it may keep succeed, the rest are told
    to order or release one first; a box-office clerk sells customer after customer."""
    most = InventorySettings().live_holds_per_session
    show = await catalogue.general_admission(gateway, capacity=100)
    bot = await session(gateway)
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 2}],
    }
    answers = await asyncio.gather(
        *(gateway.post("/v1/holds", headers=bot, json=body) for _ in range(most + 3))
    )
    assert Counter(a.status_code for a in answers) == {201: most, 409: 3}
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"].endswith("/too-many-live-holds")
        assert "order or release one first" in problem["detail"]
    kept = next(a.json()["hold_id"] for a in answers if a.status_code == 201)
    assert (await gateway.delete(f"/v1/holds/{kept}", headers=bot)).status_code == 200
    assert (await gateway.post("/v1/holds", headers=bot, json=body)).status_code == 201
    desk = [await gateway.post("/v1/holds", headers=STAFF, json=body) for _ in range(most + 1)]
    assert [a.status_code for a in desk] == [201] * (most + 1)
    seen = await gateway.get(f"/v1/performances/{show.performance_id}")
    assert seen.json()["tiers"][0]["available"] == 100 - 2 * most - 2 * (most + 1)


async def test_the_seat_map_is_gzipped_for_a_client_that_accepts_it_and_is_the_same_map(
    gateway: httpx.AsyncClient,
) -> None:
    """3.6 MB of JSON for 20,000 seats is 0.46 MB gzipped: a phone in the 9 a.m. queue feels
    it. Through the edge, as a browser asks."""
    show = await catalogue.seated(gateway, {"A": 30, "B": 30})
    path = f"/v1/performances/{show.performance_id}/seats"
    plain = await gateway.get(path, headers={"Accept-Encoding": "identity"})
    zipped = await gateway.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    refused = await gateway.get(path, headers={"Accept-Encoding": "gzip;q=0, identity"})

    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content) / 4
    assert zipped.json() == plain.json()  # httpx undid the gzip
    assert {s["seat_id"] for s in plain.json()["seats"]} == {s["seat_id"] for s in show.seats}
    assert "content-encoding" not in refused.headers
    assert "accept-encoding" in zipped.headers["vary"].lower()
