"""Coupons: staff manage them, buyers use them, and max uses hold under concurrency."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF, session
from tests.support.purchase import hold, order_body, place, stripe_client

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


def code() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


async def create(gateway: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"code": code(), "kind": "percent", "percent_off": 10, **fields}
    answer = await gateway.post("/v1/coupons", headers=STAFF, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def order_with(
    gateway: httpx.AsyncClient, hold_id: str, buyer: dict[str, str], coupon: str, email: str
) -> httpx.Response:
    return await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
        json=order_body(hold_id, email=email, coupon=coupon),
    )


async def test_staff_manage_coupons(gateway: httpx.AsyncClient) -> None:
    name = f"Winter-{uuid.uuid4().hex[:8]}"  # unique: a failed run leaves its coupon behind
    made = await create(gateway, code=f"  {name} ", max_uses=3)
    assert (made["code"], made["uses"], made["active"]) == (name.upper(), 0, True)
    twice = await gateway.post(
        "/v1/coupons",
        headers=STAFF,
        json={"code": name.lower(), "kind": "percent", "percent_off": 5},
    )
    assert (twice.status_code, twice.headers["content-type"]) == (409, PROBLEM)
    bad = await gateway.post(
        "/v1/coupons", headers=STAFF, json={"code": "NOPCT", "kind": "percent", "amount_off": 5}
    )
    assert (bad.status_code, bad.headers["content-type"]) == (422, PROBLEM)

    url = f"/v1/coupons/{made['coupon_id']}"
    changed = await gateway.patch(url, headers=STAFF, json={"active": False, "max_uses": 5})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["active"], changed.json()["max_uses"]) == (False, 5)
    assert (await gateway.get(url, headers=STAFF)).json()["active"] is False
    for patch, status, says in (
        ({"active": None}, 422, "active"),
        ({"valid_to": "1999-01-01T00:00:00Z"}, 422, "between the years"),
        ({"valid_from": "2030-01-02T00:00:00Z", "valid_to": "2030-01-01T00:00:00Z"}, 409, "after"),
    ):
        wrong = await gateway.patch(url, headers=STAFF, json=patch)
        assert (wrong.status_code, wrong.headers["content-type"]) == (status, PROBLEM), patch
        assert says in wrong.text, wrong.text
    later = {"valid_from": "2030-01-01T00:00:00Z"}  # before the valid_to just refused: kept
    assert (await gateway.patch(url, headers=STAFF, json=later)).status_code == 200
    earlier = await gateway.patch(url, headers=STAFF, json={"valid_to": "2029-12-31T00:00:00Z"})
    assert earlier.status_code == 409
    assert earlier.json()["detail"].endswith("valid_to must be after valid_from")
    assert "Failing row" not in earlier.text

    await create(gateway)  # at least two coupons: a page of one has more
    listed = await gateway.get("/v1/coupons", headers=STAFF, params={"limit": 1})
    assert listed.status_code == 200
    assert len(listed.json()["data"]) == 1
    assert listed.json()["has_more"] is True
    after = listed.json()["data"][0]["coupon_id"]
    rest = await gateway.get("/v1/coupons", headers=STAFF, params={"starting_after": after})
    assert after not in [c["coupon_id"] for c in rest.json()["data"]]
    typo = await gateway.get("/v1/coupons", headers=STAFF, params={"starting_after": "cpn_nope"})
    # an empty page said "the list ends here"; the other lists refuse an unknown cursor alike
    assert (typo.status_code, typo.json()["type"].rsplit("/", 1)[-1]) == (422, "unknown-cursor")

    assert (await gateway.delete(url, headers=STAFF)).status_code == 204
    assert (await gateway.get(url, headers=STAFF)).status_code == 404
    buyer = await session(gateway)
    assert (await gateway.get("/v1/coupons", headers=buyer)).status_code in (401, 403)


async def test_a_coupon_lowers_the_total_and_the_charge(gateway: httpx.AsyncClient) -> None:
    coupon = await create(gateway, percent_off=20)
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, quantity=2, coupon=coupon["code"].lower())
    order = placed.order
    assert order["subtotal"]["amount"] == 5000
    assert order["discount"]["amount"] == 1000
    assert (order["total"]["amount"], order["coupon"]) == (4000, coupon["code"])
    intent = await stripe_client().v1.payment_intents.retrieve_async(
        order["payment"]["payment_intent_id"]
    )
    assert intent.amount == 4000
    used = await gateway.delete(f"/v1/coupons/{coupon['coupon_id']}", headers=STAFF)
    assert used.status_code == 409  # in use: kept for the record


async def test_refused_coupons_say_why_and_leave_the_hold(gateway: httpx.AsyncClient) -> None:
    coupon = await create(gateway, max_uses_per_email=1)
    show = await catalogue.general_admission(gateway, capacity=10)
    await place(gateway, show, quantity=1, coupon=coupon["code"])  # ada@example.com used it
    buyer = await session(gateway)
    hold_id = await hold(gateway, show, buyer, 1)
    for coupon_code, reason in (("NO-SUCH-CODE", "unknown"), (coupon["code"], "used_up_for_email")):
        refused = await order_with(gateway, hold_id, buyer, coupon_code, "ada@example.com")
        assert (refused.status_code, refused.headers["content-type"]) == (422, PROBLEM)
        assert refused.json()["reason"] == reason
        assert refused.json()["detail"]
    still = await gateway.get(f"/v1/holds/{hold_id}", headers=buyer)
    assert still.json()["status"] == "held"
    other = await order_with(gateway, hold_id, buyer, coupon["code"], "grace@example.com")
    assert other.status_code == 201, other.text


async def test_max_uses_hold_under_fifty_concurrent_orders(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    coupon = await create(gateway, max_uses=10)
    show = await catalogue.general_admission(gateway, capacity=60, max_per_order=1)
    buyers = await asyncio.gather(*(session(gateway) for _ in range(50)))
    holds = await asyncio.gather(*(hold(gateway, show, b, 1) for b in buyers))
    answers = await asyncio.gather(
        *(
            order_with(gateway, h, b, coupon["code"], f"buyer{i}@example.com")
            for i, (h, b) in enumerate(zip(holds, buyers, strict=True))
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 10, [a.text for a in answers if a.status_code not in (201, 422)]
    assert statuses.count(422) == 40
    assert {a.json()["reason"] for a in answers if a.status_code == 422} == {"used_up"}
    counted = await admin_db.fetchrow(
        "SELECT c.uses, count(u.*) AS reserved FROM orders.coupons c"
        " LEFT JOIN orders.coupon_uses u ON u.coupon_id = c.coupon_id AND u.status = 'reserved'"
        " WHERE c.coupon_id = $1 GROUP BY c.uses",
        coupon["coupon_id"],
    )
    assert counted is not None
    assert (counted["uses"], counted["reserved"]) == (10, 10)


async def test_a_free_order_is_paid_at_once_without_stripe(gateway: httpx.AsyncClient) -> None:
    coupon = await create(gateway, percent_off=100)
    show = await catalogue.general_admission(gateway, capacity=10)
    order = (await place(gateway, show, quantity=2, coupon=coupon["code"])).order
    assert (order["status"], order["total"]["amount"]) == ("paid", 0)
    assert order["payment"]["status"] == "not_required"
    assert "payment_intent_id" not in order["payment"]
    assert len(order["tickets"]) == 2
