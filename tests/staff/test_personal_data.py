"""A customer's personal data through the edge: an admin exports it, erasure is refused while
the tickets are still to be used, and once the performance is past the customer is erased from
every service that kept a copy (orders, payments, documents, notifications, the audit log)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.purchase import paid, place, staff_order, stripe_client
from tests.support.staff import bearer
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def ask(
    gateway: httpx.AsyncClient, what: str, email: str, headers: dict[str, str]
) -> httpx.Response:
    return await gateway.post(f"/v1/admin/customers/{what}", headers=headers, json={"email": email})


async def count(admin_db: asyncpg.Connection, query: str, *args: Any) -> int:
    return int(await admin_db.fetchval(query, *args))


async def test_a_customer_is_exported_then_erased_everywhere_once_the_performance_is_past(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], admin_db: asyncpg.Connection
) -> None:
    email = f"gdpr-{uuid.uuid4().hex[:8]}@example.com"
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, email=email)
    order = await paid(gateway, placed)
    order_id, number = order["order_id"], order["order_number"]
    corrected = await gateway.patch(
        f"/v1/orders/{order_id}/customer", headers=bearer("staff"), json={"name": "Ada Byron"}
    )
    assert corrected.status_code == 200, corrected.text
    documents = "SELECT count(*) FROM documents.documents WHERE order_id = $1"
    mailed = (
        "SELECT count(*) FROM notifications.notifications WHERE order_id = $1 AND recipient = $2"
    )
    quoted = (
        "SELECT count(*) FROM gateway.audit_log WHERE order_id = $1"
        " AND action = 'orders.customer.corrected' AND details::text LIKE '%Ada Byron%'"
    )
    await eventually(lambda: _positive(admin_db, documents, order_id), what="the PDFs stored")
    await eventually(lambda: _positive(admin_db, mailed, order_id, email), what="the e-mail")
    await eventually(lambda: _positive(admin_db, quoted, order_id), what="the audited correction")

    exported = await ask(gateway, "export", email.upper(), admin_headers)
    assert exported.status_code == 200, exported.text
    [listed] = exported.json()["orders"]
    assert (listed["order"]["order_number"], listed["order"]["customer"]["email"]) == (
        number,
        email,
    )
    assert len(listed["order"]["tickets"]) == 2
    # with what the other services keep: the intent, the PDFs, the e-mail sent
    intent_id = order["payment"]["payment_intent_id"]
    assert listed["payment"]["records"][0]["payment_intent_id"] == intent_id
    assert listed["documents"]["records"]
    assert {e["recipient"] for e in listed["emails"]["records"]} == {email}

    refused = await ask(gateway, "erasure", email, admin_headers)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert refused.json()["type"].rsplit("/", 1)[-1] == "customer-still-needed"
    assert number in refused.json()["detail"]

    await admin_db.execute(
        "UPDATE orders.orders SET starts_at = now() - interval '2 days' WHERE order_id = $1",
        order_id,
    )
    erased = await ask(gateway, "erasure", email, admin_headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["erased_orders"] == [number]
    kept = await staff_order(gateway, order_id)
    assert kept["customer"] == {"name": "(erased)"}  # no address any more
    assert (kept["status"], len(kept["tickets"])) == ("paid", 2)  # the sale stays

    intent = (
        "SELECT count(*) FROM payments.payment_intents WHERE order_id = $1 AND customer_email = ''"
    )
    await eventually(lambda: _positive(admin_db, intent, order_id), what="payments forgetting")
    await eventually(lambda: _none(admin_db, documents, order_id), what="the PDFs deleted")
    await eventually(lambda: _none(admin_db, quoted, order_id), what="the audit log forgetting")
    anywhere = (
        "SELECT count(*) FROM notifications.notifications"
        " WHERE order_id = $1 AND recipient IS NOT NULL"
    )
    await eventually(lambda: _none(admin_db, anywhere, order_id), what="notifications forgetting")
    stripe_events = (
        "SELECT count(*) FROM payments.stripe_events WHERE payload::text LIKE '%' || $1 || '%'"
    )
    assert await count(admin_db, stripe_events, email) == 0
    at_stripe = await stripe_client().v1.payment_intents.retrieve_async(
        order["payment"]["payment_intent_id"]
    )
    assert at_stripe.receipt_email is None
    pdf = await gateway.get(f"/v1/orders/{order_id}/tickets.pdf", headers=placed.token_header)
    assert pdf.status_code == 404, pdf.text
    audited = "SELECT details::text FROM gateway.audit_log WHERE action = 'orders.customer.erased'"
    erasures = [row[0] for row in await admin_db.fetch(audited)]
    assert any(number in details for details in erasures)
    assert not any(email in details for details in erasures)  # named by digest only

    assert (await ask(gateway, "export", email, admin_headers)).json()["orders"] == []
    again = await ask(gateway, "erasure", email, admin_headers)
    assert (again.status_code, again.json()["erased_orders"]) == (200, [])


async def test_only_admins_ask_and_a_bad_address_is_a_clear_422(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for what in ("export", "erasure"):
        assert (await ask(gateway, what, "a@example.com", bearer("staff"))).status_code == 403
        assert (await ask(gateway, what, "a@example.com", {})).status_code == 401
        bad = await ask(gateway, what, "not an address", admin_headers)
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"].startswith(PROBLEM)
        assert "email" in bad.text


async def _positive(admin_db: asyncpg.Connection, query: str, *args: Any) -> bool:
    return await count(admin_db, query, *args) > 0


async def _none(admin_db: asyncpg.Connection, query: str, *args: Any) -> bool:
    return await count(admin_db, query, *args) == 0
