"""A cancelled performance keeps nobody's money and lets nobody in: its card orders are refunded
in full, automatically, and their buyers told why; its unpaid orders are cancelled, and their
buyers told nothing was charged; a desk sale waits for the desk, its buyer told to come."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF, session
from tests.support.purchase import SCANNER, hold, order_body, paid, place, scan, staff_order
from tests.support.staff import bearer, desk_hold, desk_sale, email_for, mails_to
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra


async def order_when(
    gateway: httpx.AsyncClient, order_id: str, status: str, what: str
) -> dict[str, Any]:
    async def reached() -> dict[str, Any] | None:
        order = await staff_order(gateway, order_id)
        return order if order["status"] == status else None

    order: dict[str, Any] | None = await eventually(reached, timeout=30, what=what)
    assert order is not None
    return order


async def test_cancelling_a_performance_refunds_its_card_orders_and_cancels_its_unpaid_ones(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=20)
    card_email, unpaid_email = email_for("cancelled-show-card"), email_for("cancelled-show-unpaid")
    by_card = await paid(gateway, await place(gateway, show, email=card_email))
    unpaid = await place(gateway, show, email=unpaid_email)
    clerk = bearer("staff")
    desk_email = email_for("cancelled-show-desk")
    at_desk = await desk_sale(
        gateway, clerk, await desk_hold(gateway, show, clerk, quantity=1), "cash", email=desk_email
    )
    assert at_desk.status_code == 201, at_desk.text

    answer = await gateway.post(f"/v1/performances/{show.performance_id}/cancel", headers=STAFF)
    assert answer.status_code == 200, answer.text

    refunded = await order_when(gateway, by_card["order_id"], "refunded", what="the card refund")
    assert {t["status"] for t in refunded["tickets"]} == {"refunded"}
    [refund] = refunded["refunds"]
    assert refund["amount"] == {"amount": 5000, "currency": "EUR"}
    assert refund["reason"] == "the performance was cancelled"
    at_door = await scan(gateway, by_card["tickets"][0]["secret"], show.performance_id)
    assert at_door["result"] == "cancelled"  # not "refunded": one answer at a cancelled show

    async def told() -> list[dict[str, Any]]:
        return [m for m in await mails_to(card_email) if "Cancelled" in m["subject"]]

    [mail] = await eventually(told, timeout=30, what="the buyer told of the cancellation")
    assert by_card["order_number"] in mail["subject"]

    gone = await order_when(gateway, unpaid.order["order_id"], "cancelled", what="unpaid cancel")
    assert gone["refunds"] == []

    async def told_unpaid() -> list[dict[str, Any]]:
        return [m for m in await mails_to(unpaid_email) if "is cancelled" in m["subject"]]

    [note] = await eventually(told_unpaid, timeout=30, what="the unpaid buyer told")
    assert note["subject"].startswith("Cancelled: ")
    assert unpaid.order["order_number"] in note["subject"]
    desk = await staff_order(gateway, at_desk.json()["order_id"])
    assert (desk["status"], desk["refunds"]) == ("paid", [])  # the till gives it back
    # its ticket stays valid until the desk refunds it, yet opens no door, offline either
    assert (await scan(gateway, desk["tickets"][0]["secret"], show.performance_id))[
        "result"
    ] == "cancelled"
    listed = await gateway.get(
        f"/v1/checkin/performances/{show.performance_id}/revocations", headers=SCANNER
    )
    assert listed.json()["performance_cancelled"] is True

    async def told_desk() -> list[dict[str, Any]]:
        return [m for m in await mails_to(desk_email) if "at the box office" in m["subject"]]

    [come] = await eventually(told_desk, timeout=30, what="the desk buyer told to come")
    assert desk["order_number"] in come["subject"]

    async def settled() -> dict[str, Any] | None:
        order = await staff_order(gateway, by_card["order_id"])
        return order if order["refunds"][0]["status"] == "succeeded" else None

    assert await eventually(settled, timeout=30, what="Stripe's refund") is not None


async def test_a_hold_kept_through_its_events_cancellation_cannot_become_an_order(
    gateway: httpx.AsyncClient,
) -> None:
    """Cancelling the whole event leaves its performances scheduled; a buyer who held tickets
    before is refused at "Place order" (nothing to pay for), in words the storefront shows."""
    show = await catalogue.general_admission(gateway, capacity=20)
    buyer = await session(gateway)
    hold_id = await hold(gateway, show, buyer, quantity=1)

    answer = await gateway.post(f"/v1/events/{show.event_id}/cancel", headers=STAFF)
    assert answer.status_code == 200, answer.text

    refused = await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
        json=order_body(hold_id, email_for("held-through-cancel")),
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/performance-cancelled")
    assert refused.json()["detail"] == "this performance is cancelled"
