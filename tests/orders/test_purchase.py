"""Hold → order → Stripe (the emulator) → paid with tickets → sale, through the gateway."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
import stripe

from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.platform import staff_token
from tests.support.purchase import (
    EMULATOR,
    available,
    confirm,
    hold,
    order_body,
    paid,
    place,
    read,
    staff_order,
    stripe_client,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def sold_in_postgres(db: asyncpg.Connection, performance_id: str) -> int:
    value = await db.fetchval(
        "SELECT coalesce(sum(sold), 0) FROM inventory.tiers WHERE performance_id = $1",
        performance_id,
    )
    return int(value)


async def test_paid_with_tickets_and_sale_committed_within_two_seconds(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, quantity=2)
    order = placed.order
    assert order["status"] == "pending_payment"
    assert order["order_number"].startswith("ORD-")
    assert order["total"] == {"amount": 5000, "currency": "EUR"}
    assert order["payment"]["status"] == "open"
    assert order["payment"]["client_secret"]

    started = time.monotonic()
    await confirm(order["payment"]["payment_intent_id"])

    async def paid_and_sold() -> bool:
        current = await read(gateway, placed)
        sold = await sold_in_postgres(admin_db, show.performance_id)
        return current["status"] == "paid" and len(current["tickets"]) == 2 and sold == 2

    await eventually(paid_and_sold, timeout=2.0, what="paid order, 2 tickets and the sale")
    assert time.monotonic() - started < 2.0
    tickets = (await read(gateway, placed))["tickets"]
    assert len({t["ticket_number"] for t in tickets}) == 2
    assert all(t["status"] == "valid" and t["secret"] for t in tickets)


async def test_racing_requests_with_one_key_make_one_order_and_one_intent(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    buyer = await catalogue.session(gateway)
    hold_id = await hold(gateway, show, buyer)
    headers = {**buyer, "Idempotency-Key": str(uuid.uuid4())}
    answers = await asyncio.gather(
        *(gateway.post("/v1/orders", headers=headers, json=order_body(hold_id)) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [200, 201], [a.text for a in answers]
    bodies = [a.json() for a in answers]
    assert bodies[0]["order_id"] == bodies[1]["order_id"]
    assert bodies[0]["payment"]["payment_intent_id"] == bodies[1]["payment"]["payment_intent_id"]
    # the replayed answer carries the access token too: a double click can still read the order
    assert bodies[0]["access_token"] == bodies[1]["access_token"]
    intents = await admin_db.fetchval(
        "SELECT count(*) FROM payments.payment_intents WHERE order_id = $1", bodies[0]["order_id"]
    )
    assert intents == 1
    other = await gateway.post(
        "/v1/orders",
        headers=headers,
        json={**order_body(hold_id), "customer": {"name": "Eve", "email": "eve@example.com"}},
    )
    assert (other.status_code, other.headers["content-type"]) == (422, PROBLEM)
    assert "Idempotency-Key" in other.json()["detail"]


async def test_a_webhook_delivered_three_times_pays_once(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, quantity=3)
    intent_id = placed.order["payment"]["payment_intent_id"]
    await confirm(intent_id)
    await eventually(
        lambda: _status(gateway, placed.order["order_id"], placed.token_header, "paid"),
        what="paid",
    )
    async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
        events = (
            await emulator.get(
                "/v1/events",
                params={"type": "payment_intent.succeeded"},
                headers={"Authorization": "Bearer sk_test_dev_emulator"},
            )
        ).json()
        event_id = next(e["id"] for e in events["data"] if e["data"]["object"]["id"] == intent_id)
        for _ in range(2):
            delivered = await emulator.post(f"/_emulator/events/{event_id}/deliver")
            assert delivered.status_code == 200, delivered.text
    stored = await admin_db.fetchval(
        "SELECT count(*) FROM payments.stripe_events WHERE event_id = $1", event_id
    )
    assert stored == 1
    paid_events = await admin_db.fetchval(
        "SELECT count(*) FROM orders.outbox WHERE routing_key = 'orders.order.paid.v1'"
        " AND convert_from(body, 'UTF8')::jsonb ->> 'order_id' = $1",
        placed.order["order_id"],
    )
    assert paid_events == 1
    assert len((await read(gateway, placed))["tickets"]) == 3


async def _status(
    gateway: httpx.AsyncClient, order_id: str, headers: dict[str, str], wanted: str
) -> bool:
    answer = await gateway.get(f"/v1/orders/{order_id}", headers=headers)
    return bool(answer.json()["status"] == wanted)


@pytest.mark.parametrize("forgery", ["unsigned", "other-secret", "stale", "tampered", "not-ascii"])
async def test_forged_or_stale_webhooks_are_refused_and_change_nothing(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection, forgery: str
) -> None:
    import hashlib
    import hmac
    import json

    event = {
        "id": f"evt_forged_{uuid.uuid4().hex}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": "pi_x",
                "object": "payment_intent",
                "amount": 1,
                "currency": "eur",
                "metadata": {"order_id": "ord_x"},
            }
        },
    }
    payload = json.dumps(event)
    stamp = int(time.time()) - (3600 if forgery == "stale" else 0)
    secret = "whsec_someone_else" if forgery == "other-secret" else "whsec_dev_only_not_a_secret"
    signed = hmac.new(secret.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    headers = {b"Content-Type": b"application/json"}
    if forgery != "unsigned":
        headers[b"Stripe-Signature"] = f"t={stamp},v1={signed}".encode()
    if forgery == "not-ascii":  # one raw byte: the SDK's digest comparison takes ASCII only
        headers[b"Stripe-Signature"] = f"t={stamp},v1=".encode() + b"\xff"
    body = payload.replace('"amount": 1', '"amount": 2') if forgery == "tampered" else payload
    answer = await gateway.post("/v1/webhooks/stripe", headers=headers, content=body)
    assert (answer.status_code, answer.headers["content-type"]) == (400, PROBLEM)
    assert "signature" in answer.json()["detail"].lower()
    stored = await admin_db.fetchval(
        "SELECT count(*) FROM payments.stripe_events WHERE event_id = $1", event["id"]
    )
    assert stored == 0


async def test_a_declined_card_fails_the_payment_and_the_order_stays_payable(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show)
    intent_id = placed.order["payment"]["payment_intent_id"]
    with pytest.raises(stripe.CardError):
        await confirm(intent_id, "pm_card_chargeDeclined")

    async def failed() -> dict[str, Any] | None:
        order = await read(gateway, placed)
        return order if order["payment"]["status"] == "failed" else None

    order = await eventually(failed, what="payment.failed recorded on the order")
    assert order["status"] == "pending_payment"
    assert order["payment"]["last_error"]
    await confirm(intent_id, "pm_card_visa")  # payable again, with another card
    await eventually(
        lambda: _status(gateway, placed.order["order_id"], placed.token_header, "paid"),
        what="paid with the second card",
    )


async def test_no_order_is_readable_without_its_token(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show)
    url = f"/v1/orders/{placed.order['order_id']}"
    for headers in ({}, {"X-Order-Token": "wrong"}, placed.buyer):
        answer = await gateway.get(url, headers=headers)
        assert (answer.status_code, answer.headers["content-type"]) == (404, PROBLEM)
    assert (await gateway.get(url, headers=placed.token_header)).status_code == 200
    token = placed.order["access_token"]
    # never in a query string (access logs, history, Referer): refused, not read
    assert (await gateway.get(url, params={"token": token})).status_code == 422
    staff = {"Authorization": f"Bearer {staff_token('staff')}"}
    assert (await gateway.get(url, headers=staff)).json()["order_id"] == placed.order["order_id"]
    assert "access_token" not in (await gateway.get(url, headers=staff)).json()


async def test_an_order_needs_a_hold_of_the_callers_session(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    owner, stranger = await catalogue.session(gateway), await catalogue.session(gateway)
    hold_id = await hold(gateway, show, owner)
    answer = await gateway.post(
        "/v1/orders",
        headers={**stranger, "Idempotency-Key": str(uuid.uuid4())},
        json=order_body(hold_id),
    )
    assert (answer.status_code, answer.headers["content-type"]) == (404, PROBLEM)
    missing_key = await gateway.post("/v1/orders", headers=owner, json=order_body(hold_id))
    assert (missing_key.status_code, missing_key.headers["content-type"]) == (422, PROBLEM)
    assert "Idempotency-Key" in missing_key.json()["detail"]


async def test_a_customer_cancels_an_unpaid_order(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=2)
    placed = await place(gateway, show, quantity=2)
    url = f"/v1/orders/{placed.order['order_id']}/cancel"
    assert placed.order["payment"]["client_secret"]  # the buyer's, to pay with
    read_by_staff = await staff_order(gateway, placed.order["order_id"])
    assert read_by_staff["payment"].get("client_secret") is None  # no clerk pays with it
    assert (await gateway.post(url, headers={"X-Order-Token": "wrong"})).status_code == 404
    for _ in range(2):  # cancelling again answers the same
        answer = await gateway.post(url, headers=placed.token_header)
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "cancelled"
        # its payment form's secret is not handed out again, nor is its payment "open"
        payment = answer.json()["payment"]
        assert (payment["status"], payment.get("client_secret")) == ("cancelled", None)

    async def released() -> bool:
        return await available(gateway, show) == 2

    await eventually(released, what="the hold released")
    intent_id = placed.order["payment"]["payment_intent_id"]

    async def intent_cancelled() -> bool:
        intent = await stripe_client().v1.payment_intents.retrieve_async(intent_id)
        return bool(intent.status == "canceled")

    await eventually(intent_cancelled, what="the intent cancelled")
    settled = await paid(gateway, await place(gateway, show, quantity=1))
    too_late = await gateway.post(f"/v1/orders/{settled['order_id']}/cancel", headers=STAFF)
    assert (too_late.status_code, too_late.headers["content-type"]) == (409, PROBLEM)
