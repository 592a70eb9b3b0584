"""Staff refunds: tickets voided at the door, money back through Stripe, capacity returned, and a
refund Stripe refuses stays visible."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.purchase import (
    EMULATOR,
    available,
    confirm,
    paid,
    place,
    read,
    scan,
    staff_order,
    stripe_client,
)
from tests.support.staff import mails_to
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def refund(
    gateway: httpx.AsyncClient, order_id: str, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    headers = {**STAFF, **({"Idempotency-Key": key} if key else {})}
    return await gateway.post(f"/v1/orders/{order_id}/refunds", headers=headers, json=body)


async def settled_refund(gateway: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        order = await staff_order(gateway, order_id)
        last = order["refunds"][-1] if order["refunds"] else None
        return order if last is not None and last["status"] != "pending" else None

    order: dict[str, Any] | None = await eventually(done, what="Stripe's answer on the refund")
    assert order is not None
    return order


async def stripe_refunds(intent_id: str) -> list[int]:
    listed = await stripe_client().v1.refunds.list_async({"payment_intent": intent_id})
    return [r.amount for r in listed.data]


async def test_refunding_one_of_three_tickets(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await paid(gateway, await place(gateway, show, quantity=3))
    order_id, intent_id = order["order_id"], order["payment"]["payment_intent_id"]
    first, second, third = order["tickets"]
    assert await available(gateway, show) == 7

    answer = await refund(gateway, order_id, {"ticket_ids": [second["ticket_id"]]})
    assert answer.status_code == 201, answer.text
    assert answer.json()["amount"] == {"amount": 2500, "currency": "EUR"}

    order = await settled_refund(gateway, order_id)
    assert order["status"] == "partially_refunded"
    assert order["refunds"][0]["status"] == "succeeded"
    assert await stripe_refunds(intent_id) == [2500]
    statuses = {t["ticket_id"]: t["status"] for t in order["tickets"]}
    assert statuses[second["ticket_id"]] == "refunded"

    at_door = [
        await scan(gateway, t["secret"], show.performance_id) for t in (first, second, third)
    ]
    assert [a["result"] for a in at_door] == ["ok", "refunded", "ok"]

    async def capacity_up_by_one() -> bool:
        return await available(gateway, show) == 8

    await eventually(capacity_up_by_one, what="the refunded ticket back on sale")


async def test_a_full_refund_is_made_once_per_idempotency_key(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await paid(gateway, await place(gateway, show, quantity=2))
    order_id, key = order["order_id"], str(uuid.uuid4())
    first = await refund(gateway, order_id, {"reason": "show moved"}, key=key)
    again = await refund(gateway, order_id, {"reason": "show moved"}, key=key)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert first.json()["refund_id"] == again.json()["refund_id"]

    order = await settled_refund(gateway, order_id)
    assert order["status"] == "refunded"
    assert {t["status"] for t in order["tickets"]} == {"refunded"}
    assert await stripe_refunds(order["payment"]["payment_intent_id"]) == [5000]
    more = await refund(gateway, order_id, {"amount": 1})
    assert (more.status_code, more.headers["content-type"]) == (409, PROBLEM)

    async def all_back() -> bool:
        return await available(gateway, show) == 10

    await eventually(all_back, what="the capacity back on sale")


async def test_refund_requests_that_do_not_fit_are_refused(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, quantity=2)
    order_id = placed.order["order_id"]
    unpaid = await refund(gateway, order_id, {})
    assert (unpaid.status_code, unpaid.json()["type"].rsplit("/", 1)[-1]) == (
        409,
        "order-not-refundable",
    )
    await paid(gateway, placed)
    too_much = await refund(gateway, order_id, {"amount": 5001})
    assert (too_much.status_code, too_much.headers["content-type"]) == (422, PROBLEM)
    assert "5000" in too_much.json()["detail"]
    stranger = await refund(gateway, order_id, {"ticket_ids": ["tkt_not_in_this_order"]})
    assert stranger.status_code == 422
    as_customer = await gateway.post(
        f"/v1/orders/{order_id}/refunds", headers=placed.buyer, json={}
    )
    assert as_customer.status_code in (401, 403)
    assert (await staff_order(gateway, order_id))["refunds"] == []


async def test_a_refund_stripe_refuses_is_visible_on_the_order(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await paid(gateway, await place(gateway, show, quantity=2))
    intent_id = order["payment"]["payment_intent_id"]
    # someone refunded the whole charge in Stripe's dashboard, outside the platform
    await stripe_client().v1.refunds.create_async({"payment_intent": intent_id})
    answer = await refund(gateway, order["order_id"], {"amount": 1000, "reason": "goodwill"})
    assert answer.status_code == 201, answer.text

    order = await settled_refund(gateway, order["order_id"])
    failed = order["refunds"][0]
    assert failed["status"] == "failed"
    assert failed["error"]
    assert await stripe_refunds(intent_id) == [5000]  # nothing refunded twice


async def test_a_refund_the_cards_bank_refuses_later_tells_the_customer_how_it_goes_on(
    gateway: httpx.AsyncClient,
) -> None:
    """Stripe accepts a refund, then the card's bank refuses it (``pm_card_refundFail``): the
    customer, mailed that the money was on its way to their card, waited for money that never
    came. They are told it could not go back there and will be paid back another way."""
    show = await catalogue.general_admission(gateway, capacity=5)
    email = f"refund-refused-{uuid.uuid4().hex[:8]}@example.com"
    placed = await place(gateway, show, quantity=1, email=email)
    await confirm(placed.order["payment"]["payment_intent_id"], "pm_card_refundFail")

    async def is_paid() -> bool:
        return bool((await read(gateway, placed))["status"] == "paid")

    await eventually(is_paid, what="the order paid")
    order_id = placed.order["order_id"]
    assert (await refund(gateway, order_id, {})).status_code == 201
    accepted = await settled_refund(gateway, order_id)
    assert accepted["refunds"][0]["status"] == "succeeded"  # Stripe's first word
    listed = await stripe_client().v1.refunds.list_async(
        {"payment_intent": placed.order["payment"]["payment_intent_id"]}
    )
    async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
        settled = await emulator.post(f"/_emulator/refunds/{listed.data[0].id}/settle")
        assert settled.status_code == 200, settled.text

    async def told() -> list[dict[str, Any]]:
        mails = await mails_to(email)
        return [m for m in mails if "could not go back to your card" in m["subject"]]

    [mail] = await eventually(told, what="the customer told the refund could not be made")
    assert placed.order["order_number"] in mail["subject"]
    assert (await staff_order(gateway, order_id))["refunds"][0]["status"] == "failed"
