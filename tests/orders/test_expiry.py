"""Deadlines: an unpaid order expires, releasing hold, coupon use and intent; a payment that lands
after the seats were sold to someone else is refunded automatically, never oversold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
import stripe

from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.events import catching
from tests.support.platform import restart, stopped
from tests.support.purchase import (
    EMULATOR,
    Placed,
    available,
    confirm,
    paid,
    place,
    read,
    scan,
    stripe_client,
)
from tests.support.waiting import eventually
from ticketing_contracts import OrderPaidV1, OrderRefundedV1, TicketsRenderedV1

pytestmark = pytest.mark.infra
WINDOW_S = 3
ONE_SECOND_GRACE = {"TICKETING_PAYMENT_GRACE_S": "1"}


@pytest.fixture
async def short_payment_window() -> AsyncIterator[None]:
    await restart("orders", {"TICKETING_PAYMENT_WINDOW_S": str(WINDOW_S), **ONE_SECOND_GRACE})
    try:
        yield
    finally:
        await restart("orders")


async def expired(gateway: httpx.AsyncClient, placed: Placed) -> None:
    async def status_expired() -> bool:
        return bool((await read(gateway, placed))["status"] == "expired")

    await eventually(status_expired, timeout=WINDOW_S + 10, what="the order to expire")


async def capacity_is(gateway: httpx.AsyncClient, show: catalogue.Show, units: int) -> None:
    async def reached() -> bool:
        return await available(gateway, show) == units

    await eventually(reached, timeout=30, what=f"{units} units available")


@pytest.mark.usefixtures("short_payment_window")
async def test_an_unpaid_order_expires_and_releases_hold_and_intent(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=2)
    placed = await place(gateway, show, quantity=2)
    intent_id = placed.order["payment"]["payment_intent_id"]
    await expired(gateway, placed)
    await capacity_is(gateway, show, 2)

    async def intent_cancelled() -> bool:
        intent = await stripe_client().v1.payment_intents.retrieve_async(intent_id)
        return bool(intent.status == "canceled")

    await eventually(intent_cancelled, timeout=30, what="the intent cancelled")


@pytest.mark.usefixtures("short_payment_window")
async def test_a_declined_order_expires_releasing_hold_and_coupon_use(
    gateway: httpx.AsyncClient,
) -> None:
    made = await gateway.post(
        "/v1/coupons",
        headers=STAFF,
        json={"code": f"ONCE-{id(gateway)}", "kind": "percent", "percent_off": 50, "max_uses": 1},
    )
    assert made.status_code == 201, made.text
    coupon = made.json()
    show = await catalogue.general_admission(gateway, capacity=2)
    placed = await place(gateway, show, quantity=2, coupon=coupon["code"])
    with pytest.raises(stripe.CardError):
        await confirm(placed.order["payment"]["payment_intent_id"], "pm_card_chargeDeclined")
    assert (await read(gateway, placed))["status"] == "pending_payment"
    url = f"/v1/coupons/{coupon['coupon_id']}"
    assert (await gateway.get(url, headers=STAFF)).json()["uses"] == 1

    await expired(gateway, placed)
    await capacity_is(gateway, show, 2)
    assert (await gateway.get(url, headers=STAFF)).json()["uses"] == 0
    again = await place(gateway, show, quantity=1, coupon=coupon["code"])  # usable again
    assert again.order["discount"]["amount"] == 1250


async def _deliver_later(intent_id: str) -> str:
    """The id of the ``payment_intent.succeeded`` event of ``intent_id``."""
    listed = await stripe_client().v1.events.list_async({"type": "payment_intent.succeeded"})
    found = [e.id for e in listed.data if e.data.object["id"] == intent_id]
    assert len(found) == 1
    return found[0]


async def _pay_too_late(emulator: httpx.AsyncClient, placed: Placed) -> str:
    """The customer pays in time, Stripe tells us too late: the webhook is held up until the
    order expired. Returns the id of the ``payment_intent.succeeded`` event to deliver."""
    intent_id = placed.order["payment"]["payment_intent_id"]
    webhook = (await emulator.get("/_emulator/webhook")).json()
    await emulator.post("/_emulator/webhook", json={"url": ""})
    try:
        await confirm(intent_id)
    finally:
        await emulator.post("/_emulator/webhook", json={"url": webhook["url"]})
    return await _deliver_later(intent_id)


async def _deliver(emulator: httpx.AsyncClient, event_id: str) -> None:
    delivered = await emulator.post(f"/_emulator/events/{event_id}/deliver")
    assert delivered.json()["status_code"] == 200, delivered.text


async def _documents_heard_paid(admin_db: asyncpg.Connection, order_id: str) -> None:
    """Waits until documents has applied the ``order.paid`` of ``order_id`` (its inbox)."""

    async def applied() -> bool:
        heard = await admin_db.fetchval(
            "SELECT count(*) FROM documents.inbox i JOIN orders.outbox o"
            " ON o.message_id = i.message_id"
            " WHERE o.routing_key = $1 AND o.headers->>'ce-subject' = $2",
            OrderPaidV1.event_type,
            order_id,
        )
        return bool(heard)

    await eventually(applied, what="documents to apply the order.paid")


async def _render_settled(admin_db: asyncpg.Connection, order_id: str) -> str:
    """Waits for documents' last job of ``order_id`` to be done; the tickets it announced."""

    async def done() -> bool:
        status = await admin_db.fetchval(
            "SELECT status FROM documents.render_jobs WHERE order_id = $1", order_id
        )
        return bool(status == "done")

    await eventually(done, what=f"the render of {order_id} settled")
    announced = await admin_db.fetch(
        "SELECT body FROM documents.outbox WHERE routing_key = $1 AND headers->>'ce-subject' = $2",
        TicketsRenderedV1.event_type,
        order_id,
    )
    return ",".join(
        sorted(
            ticket
            for row in announced
            for ticket in TicketsRenderedV1.model_validate_json(row["body"]).ticket_document_ids
        )
    )


@pytest.mark.usefixtures("short_payment_window")
async def test_a_late_payment_for_seats_sold_meanwhile_is_refunded(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=2)
    late = await place(gateway, show, quantity=2)
    late_intent = late.order["payment"]["payment_intent_id"]
    async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
        event_id = await _pay_too_late(emulator, late)
        await expired(gateway, late)
        await capacity_is(gateway, show, 2)
        other = await paid(gateway, await place(gateway, show, quantity=2))  # sold again
        async with catching(OrderRefundedV1.event_type) as caught:
            async with stopped("inventory"):  # documents hears of the payment before the sale
                await _deliver(emulator, event_id)
                await _documents_heard_paid(admin_db, late.order["order_id"])
                # nothing printed for seats not sold to it: no e-mail with tickets, then a refund
                assert not await admin_db.fetch(
                    "SELECT 1 FROM documents.render_jobs WHERE order_id = $1",
                    late.order["order_id"],
                )

            async def refunded() -> dict[str, Any] | None:
                order = await read(gateway, late)
                refunds = order["refunds"]
                done = refunds and refunds[0]["status"] == "succeeded"
                return order if order["status"] == "refunded" and done else None

            order = await eventually(refunded, what="the late payment refunded")
            announced = [OrderRefundedV1.model_validate_json(m.body) for m in await caught.take()]
    assert order["refunds"][0]["automatic"] is True
    mine = [e for e in announced if e.order_id == late.order["order_id"]]
    assert len(mine) == 1
    assert (mine[0].automatic, mine[0].customer is not None) == (True, True)
    refunds = await stripe_client().v1.refunds.list_async({"payment_intent": late_intent})
    assert [r.amount for r in refunds.data] == [5000]
    for ticket in order["tickets"]:
        assert (await scan(gateway, ticket["secret"], show.performance_id))["result"] == "refunded"
    sold = await admin_db.fetch(
        "SELECT order_id FROM inventory.sales WHERE performance_id = $1", show.performance_id
    )
    assert {r["order_id"] for r in sold} == {other["order_id"]}
    assert await available(gateway, show) == 0
    # the refund's render has nothing to print: no ticket of it was ever announced
    assert await _render_settled(admin_db, late.order["order_id"]) == ""


@pytest.mark.usefixtures("short_payment_window")
async def test_a_late_payment_whose_seats_are_still_free_is_sold_and_printed(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=2)
    late = await place(gateway, show, quantity=2)
    async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
        event_id = await _pay_too_late(emulator, late)
        await expired(gateway, late)
        await capacity_is(gateway, show, 2)
        await _deliver(emulator, event_id)

    async def sold() -> bool:
        rows = await admin_db.fetch(
            "SELECT 1 FROM inventory.sales WHERE order_id = $1", late.order["order_id"]
        )
        return bool(rows)

    await eventually(sold, what="the late payment's units sold")
    order = await read(gateway, late)
    assert order["status"] == "paid"
    tickets = ",".join(sorted(t["ticket_id"] for t in order["tickets"]))
    assert await _render_settled(admin_db, late.order["order_id"]) == tickets
    assert await available(gateway, show) == 0
