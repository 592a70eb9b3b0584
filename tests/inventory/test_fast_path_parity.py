"""``POST /v1/holds`` answers alike through the raw ASGI fast path (what serves it) and the
documented FastAPI route (what documents it): both translate the body into the same command for
the same use case, and its refusals through the same problem table."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.inventory.conftest import customer_headers, inventory_in_process
from tests.support import catalogue
from ticketing_inventory.settings import InventorySettings
from ticketing_runtime.service import Service

Post = Callable[[dict[str, Any], dict[str, str]], Awaitable[httpx.Response]]
VARYING = {"hold_id", "expires_at", "request_id"}  # differ between any two answers
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
async def clients(inventory_app: Service) -> AsyncIterator[tuple[httpx.AsyncClient, ...]]:
    """The whole app (fast path in front) and the FastAPI app alone (the documented route)."""
    whole = httpx.AsyncClient(
        transport=httpx.ASGITransport(inventory_app.asgi()), base_url="http://i"
    )
    route = httpx.AsyncClient(
        transport=httpx.ASGITransport(inventory_app.http), base_url="http://i"
    )
    async with whole, route:
        yield whole, route


def shape(answer: httpx.Response) -> tuple[int, str, dict[str, Any]]:
    """Status, media type and body with the values that differ on every call left out."""
    body = answer.json()
    if isinstance(body, dict):
        body = {k: ("<varies>" if k in VARYING else v) for k, v in body.items()}
    return answer.status_code, answer.headers["content-type"], body


async def both(
    clients: tuple[httpx.AsyncClient, ...], body: Any, headers: dict[str, str]
) -> tuple[Any, Any]:
    whole, route = clients
    fast = await whole.post("/v1/holds", json=body, headers=headers)
    documented = await route.post("/v1/holds", json=body, headers=headers)
    return shape(fast), shape(documented)


async def test_a_hold_placed_both_ways_is_the_same_hold(
    clients: tuple[httpx.AsyncClient, ...],
) -> None:
    show = await catalogue.general_admission(clients[0], capacity=10)
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 2}],
    }
    fast, documented = await both(clients, body, customer_headers())
    assert fast == documented
    assert fast[0] == 201
    assert fast[2]["quantity"] == 2
    assert fast[2]["status"] == "held"


async def test_refusals_answer_the_same_problem_both_ways(
    clients: tuple[httpx.AsyncClient, ...],
) -> None:
    show = await catalogue.general_admission(clients[0], capacity=3, max_per_order=5)
    tier = show.tiers["Floor"]
    seated = await catalogue.seated(clients[0], {"A": 2})
    taken = seated.seats[0]["seat_id"]
    someone_else = customer_headers()
    held = await clients[0].post(
        "/v1/holds",
        json={"performance_id": seated.performance_id, "seats": [taken]},
        headers=someone_else,
    )
    assert held.status_code == 201, held.text
    me = customer_headers()
    cases: dict[str, tuple[Any, dict[str, str]]] = {
        "not-enough-left": (
            {"performance_id": show.performance_id, "tiers": [{"tier_id": tier, "quantity": 4}]},
            me,
        ),
        "over-max-per-order": (
            {"performance_id": show.performance_id, "tiers": [{"tier_id": tier, "quantity": 6}]},
            me,
        ),
        "unknown-performance": ({"performance_id": "prf_nowhere", "seats": ["seat_x"]}, me),
        "unknown-tier": (
            {
                "performance_id": show.performance_id,
                "tiers": [{"tier_id": "tier_x", "quantity": 1}],
            },
            me,
        ),
        "validation-error": (
            {"performance_id": show.performance_id, "tiers": [{"tier_id": tier, "quantity": 0}]},
            me,
        ),
        "seat-taken": ({"performance_id": seated.performance_id, "seats": [taken]}, me),
        "unauthenticated": ({"performance_id": show.performance_id, "seats": [taken]}, {}),
        "invalid-idempotency-key": (
            {"performance_id": show.performance_id, "seats": [taken]},
            {**me, "Idempotency-Key": "short"},
        ),
    }
    for code, (body, headers) in cases.items():
        fast, documented = await both(clients, body, headers)
        assert fast == documented, code
        assert fast[1] == "application/problem+json", code
        assert fast[2]["type"].endswith("/" + code), (code, fast)
    sold_out, _ = await both(clients, cases["not-enough-left"][0], me)
    assert (sold_out[0], sold_out[2]["available"]) == (409, 3)
    taken_answer, _ = await both(clients, cases["seat-taken"][0], me)
    assert (taken_answer[0], taken_answer[2]["taken_seats"]) == (409, [taken])


async def test_an_unknown_query_parameter_is_refused_both_ways(
    clients: tuple[httpx.AsyncClient, ...],
) -> None:
    """``POST /v1/holds?stauts=x``: the documented route answers 422, the fast path placed the
    hold (it never looked at the query)."""
    show = await catalogue.general_admission(clients[0], capacity=10)
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 1}],
    }
    answers = [
        shape(await client.post("/v1/holds?stauts=x", json=body, headers=customer_headers()))
        for client in clients
    ]
    fast, documented = answers
    assert fast == documented
    assert (fast[0], fast[2]["type"].rsplit("/", 1)[-1]) == (422, "unknown-parameter")
    assert fast[2]["unknown"] == ["stauts"]


async def test_a_placement_retried_with_its_key_gets_the_hold_it_made_either_way(
    clients: tuple[httpx.AsyncClient, ...],
) -> None:
    """The answer of a hold was lost (the page hung, the phone lost the network): the retry
    with the same ``Idempotency-Key`` answers that hold, instead of holding the seats twice."""
    whole, route = clients
    show = await catalogue.general_admission(whole, capacity=10)
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 2}],
    }
    keyed = {**customer_headers(), "Idempotency-Key": str(uuid.uuid4())}
    first = await whole.post("/v1/holds", json=body, headers=keyed)
    again = await route.post("/v1/holds", json=body, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json()["hold_id"] == first.json()["hold_id"]
    another = {**keyed, "Idempotency-Key": str(uuid.uuid4())}
    second = await whole.post("/v1/holds", json=body, headers=another)
    assert second.status_code == 201
    assert second.json()["hold_id"] != first.json()["hold_id"]
    seen = (await whole.get(f"/v1/performances/{show.performance_id}")).json()
    assert seen["tiers"][0]["available"] == 10 - 2 - 2


async def test_a_key_sent_again_with_another_request_is_refused_either_way(
    clients: tuple[httpx.AsyncClient, ...],
) -> None:
    """Key K for 2 tickets, then K for 4: the second answered 201 with the 2-ticket hold, as
    if the buyer had 4; orders refuses such a key (422), and so do holds now."""
    show = await catalogue.general_admission(clients[0], capacity=10)
    keyed = {**customer_headers(), "Idempotency-Key": str(uuid.uuid4())}

    def wanting(quantity: int) -> dict[str, Any]:
        tiers = [{"tier_id": show.tiers["Floor"], "quantity": quantity}]
        return {"performance_id": show.performance_id, "tiers": tiers}

    first = await clients[0].post("/v1/holds", json=wanting(2), headers=keyed)
    assert first.status_code == 201, first.text
    for client in clients:
        other = await client.post("/v1/holds", json=wanting(4), headers=keyed)
        assert (other.status_code, other.headers["content-type"]) == (
            422,
            "application/problem+json",
        )
        assert other.json()["type"].endswith("/idempotency-key-reused")
        # the refusal leaves the first hold findable (its index was dropped with the refusal)
        found = await client.get(f"/v1/holds/{first.json()['hold_id']}", headers=keyed)
        assert found.status_code == 200, found.text
        same = await client.post("/v1/holds", json=wanting(2), headers=keyed)
        assert same.json()["hold_id"] == first.json()["hold_id"]  # the same request: its hold
    seen = (await clients[0].get(f"/v1/performances/{show.performance_id}")).json()
    assert seen["tiers"][0]["available"] == 10 - 2


@pytest.fixture
async def redis_away(inventory_settings: InventorySettings) -> AsyncIterator[Service]:
    """The inventory with its Redis gone (a failover, a restart): nothing listens there."""
    away = inventory_settings.model_copy(update={"redis_url": DEAD_REDIS})
    async with inventory_in_process(away) as service:
        yield service


async def test_redis_not_answering_is_a_503_to_retry_both_ways(redis_away: Service) -> None:
    """A hold or a performance read while Redis is away: a 500 "internal-error" told the buyer
    nothing and made the storefront give up; it is a 503 with a time to retry."""
    body = {"performance_id": "prf_away", "tiers": [{"tier_id": "tier_x", "quantity": 1}]}
    for app in (redis_away.asgi(), redis_away.http):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app), base_url="http://i"
        ) as client:
            answer = await client.post("/v1/holds", json=body, headers=customer_headers())
            assert (answer.status_code, answer.headers["content-type"]) == (
                503,
                "application/problem+json",
            ), answer.text
            assert answer.json()["type"].endswith("/stock-unavailable")
            assert answer.headers["retry-after"] == "2"
