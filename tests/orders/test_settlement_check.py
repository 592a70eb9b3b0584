"""Correctly signed webhooks that are not about what payments created change no order
(invariant 9): stored, answered 200, counted in a metric and in the reconciliation report."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.platform import stack
from tests.support.purchase import Placed, paid, place, read
from tests.support.service_auth import service_auth_headers
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
DEV_WEBHOOK_SECRET = "whsec_dev_only_not_a_secret"
PAYMENTS = stack.PROCESSES["payments"].url


def signed(event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    payload = json.dumps(event)
    stamp = int(time.time())
    mac = hmac.new(
        DEV_WEBHOOK_SECRET.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    headers = {"Content-Type": "application/json", "Stripe-Signature": f"t={stamp},v1={mac}"}
    return payload.encode(), headers


def intent_event(event_type: str, intent: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_test_{uuid.uuid4().hex}",
        "object": "event",
        "type": event_type,
        "data": {"object": {"object": "payment_intent", **intent}},
    }


def claims(placed: Placed, **changes: Any) -> dict[str, Any]:
    """What a true event about ``placed``'s intent says, with ``changes``."""
    order = placed.order
    true = {
        "id": order["payment"]["payment_intent_id"],
        "amount": order["total"]["amount"],
        "currency": order["total"]["currency"].lower(),
        "metadata": {"order_id": order["order_id"]},
        "status": "succeeded",
    }
    return {**true, **changes}


async def unmatched_count(reason: str) -> float:
    async with httpx.AsyncClient(base_url=PAYMENTS) as payments:
        metrics = (await payments.get("/metrics")).text
    name = f'ticketing_payments_unmatched_stripe_events_total{{reason="{reason}"}}'
    return sum(float(line.split()[-1]) for line in metrics.splitlines() if line.startswith(name))


async def report(gateway: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, Any]:
    answer = await gateway.get("/v1/admin/services/payments/reconciliation", headers=admin)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize(
    ("mismatch", "event_type"),
    [
        ("unknown_intent", "payment_intent.succeeded"),
        ("wrong_order", "payment_intent.succeeded"),
        ("wrong_amount", "payment_intent.succeeded"),
        ("wrong_currency", "payment_intent.succeeded"),
        ("unknown_intent", "payment_intent.payment_failed"),
        ("wrong_amount", "payment_intent.payment_failed"),
    ],
)
async def test_a_signed_event_about_what_payments_did_not_create_changes_no_order(
    gateway: httpx.AsyncClient,
    admin_db: asyncpg.Connection,
    admin_headers: dict[str, str],
    mismatch: str,
    event_type: str,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    victim = await place(gateway, show, quantity=2)
    other = await place(gateway, show, quantity=1)
    forged = {
        "unknown_intent": claims(victim, id=f"pi_made_by_hand_{uuid.uuid4().hex[:12]}", amount=1),
        # the other order's own intent, relabelled to pay the victim's order
        "wrong_order": claims(
            other,
            metadata={"order_id": victim.order["order_id"]},
            amount=victim.order["total"]["amount"],
        ),
        "wrong_amount": claims(victim, amount=1),
        "wrong_currency": claims(victim, currency="usd"),
    }[mismatch]
    event = intent_event(event_type, forged)
    counted_before = await unmatched_count(mismatch)

    body, headers = signed(event)
    answer = await gateway.post("/v1/webhooks/stripe", headers=headers, content=body)

    assert answer.status_code == 200, answer.text
    stored = await admin_db.fetchrow(
        "SELECT mismatch FROM payments.stripe_events WHERE event_id = $1", event["id"]
    )
    assert stored is not None
    assert stored["mismatch"] == mismatch
    for placed in (victim, other):
        order = await read(gateway, placed)
        assert order["status"] == "pending_payment"
        assert order["tickets"] == []
        assert order["payment"]["status"] == "open"
    settled = await admin_db.fetchval(
        "SELECT count(*) FROM payments.outbox WHERE convert_from(body, 'UTF8')::jsonb"
        " ->> 'order_id' = ANY($1::text[]) AND routing_key LIKE 'payments.payment.%'",
        [victim.order["order_id"], other.order["order_id"]],
    )
    assert settled == 0
    assert await unmatched_count(mismatch) == counted_before + 1
    listed = {e["event_id"]: e for e in (await report(gateway, admin_headers))["events"]}
    assert listed[event["id"]]["reason"] == mismatch
    assert listed[event["id"]]["type"] == event_type
    # the true payment still pays
    assert (await paid(gateway, victim))["status"] == "paid"


async def test_a_refund_payments_never_asked_for_is_reported(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection, admin_headers: dict[str, str]
) -> None:
    unasked = {
        "id": f"evt_test_{uuid.uuid4().hex}",
        "object": "event",
        "type": "refund.created",
        "data": {
            "object": {
                "id": f"re_by_hand_{uuid.uuid4().hex[:12]}",
                "object": "refund",
                "amount": 500,
                "currency": "eur",
                "metadata": {},
            }
        },
    }
    counted_before = await unmatched_count("unknown_refund")
    body, headers = signed(unasked)
    answer = await gateway.post("/v1/webhooks/stripe", headers=headers, content=body)
    assert answer.status_code == 200, answer.text
    assert await unmatched_count("unknown_refund") == counted_before + 1
    listed = {e["event_id"]: e for e in (await report(gateway, admin_headers))["events"]}
    assert listed[unasked["id"]]["reason"] == "unknown_refund"


async def test_the_reconciliation_report_is_for_staff_only(gateway: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(base_url=PAYMENTS) as payments:
        anonymous = await payments.get("/v1/admin/services/payments/reconciliation")
        customer = await payments.get(
            "/v1/admin/services/payments/reconciliation", headers=service_auth_headers("customer")
        )
        staff = await payments.get(
            "/v1/admin/services/payments/reconciliation", headers=service_auth_headers("staff")
        )
    assert (anonymous.status_code, customer.status_code, staff.status_code) == (401, 403, 200)


async def test_a_refund_we_asked_for_is_never_reported_and_one_of_a_stranger_charge_is(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection, admin_headers: dict[str, str]
) -> None:
    """Stripe announces a refund twice: ``refund.created`` (the refund, ours by its metadata)
    and ``charge.refunded`` (the charge): neither is "a refund nobody asked for"."""
    show = await catalogue.general_admission(gateway, capacity=5)
    order = await paid(gateway, await place(gateway, show, quantity=1))
    intent = order["payment"]["payment_intent_id"]
    refunded = await gateway.post(f"/v1/orders/{order['order_id']}/refunds", headers=STAFF, json={})
    assert refunded.status_code == 201, refunded.text

    async def both_stored() -> list[str]:
        stored = await admin_db.fetch(
            "SELECT event_id, type FROM payments.stripe_events WHERE type IN"
            " ('charge.refunded', 'refund.created')"
            " AND payload -> 'data' -> 'object' ->> 'payment_intent' = $1",
            intent,
        )
        kinds = {e["type"] for e in stored}
        return [e["event_id"] for e in stored] if len(kinds) == 2 else []

    ours = await eventually(both_stored, timeout=30, what="Stripe's two refund events")
    reported = {e["event_id"] for e in (await report(gateway, admin_headers))["events"]}
    assert reported.isdisjoint(ours)

    stranger = {
        "id": f"evt_test_{uuid.uuid4().hex}",
        "object": "event",
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": f"ch_{uuid.uuid4().hex[:12]}",
                "object": "charge",
                "payment_intent": f"pi_not_ours_{uuid.uuid4().hex[:8]}",
                "amount_refunded": 500,
            }
        },
    }
    body, headers = signed(stranger)
    assert (await gateway.post("/v1/webhooks/stripe", headers=headers, content=body)).is_success
    listed = {e["event_id"]: e for e in (await report(gateway, admin_headers))["events"]}
    assert listed[stranger["id"]]["reason"] == "unknown_refund"
