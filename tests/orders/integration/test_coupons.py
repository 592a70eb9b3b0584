"""Coupons in process against the real PostgreSQL: a coupon's use reserved at placement and its
discount priced in, refused with a reason, and max uses held under concurrent checkouts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.orders.integration.conftest import Harness, customer, line
from tests.orders.integration.test_placement import checkout
from tests.orders.integration.test_refunding import refund
from tests.orders.integration.test_settlement import load, pay
from ticketing_orders.adapters.tables import coupons, orders
from ticketing_orders.domain.coupons import CouponRefused
from ticketing_orders.service_layer import settlement
from ticketing_orders.service_layer.commands import SettlePayment
from ticketing_orders.service_layer.expiry import expire_due_orders
from ticketing_orders.service_layer.placement import Placed, place
from ticketing_orders.service_layer.refunding import request_refund

pytestmark = pytest.mark.infra


async def with_coupon(harness: Harness, code: str) -> Placed:
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 2, 2500)])
    return await place(harness.orders, checkout(who, hold_id, coupon=code))


async def uses(harness: Harness, code: str) -> int:
    async with harness.database.unit_of_work() as uow:
        query = select(coupons.c.uses).where(coupons.c.code == code)
        return int((await uow.session.execute(query)).scalar_one())


async def test_a_coupon_is_priced_in_and_its_use_counted(harness: Harness) -> None:
    await harness.add_coupon("TENOFF", percent_off=10)
    placed = await with_coupon(harness, " tenoff ")
    document = placed.document
    assert (document["coupon"], document["discount"]["amount"], document["total"]["amount"]) == (
        "TENOFF",
        500,
        4500,
    )
    assert await uses(harness, "TENOFF") == 1
    [event] = [
        e
        for e in await harness.published("orders.order.placed.v1")
        if e["order_id"] == document["order_id"]
    ]
    assert event["total"]["amount"] == 4500


async def test_an_unknown_coupon_refuses_the_order_before_the_hold_is_pinned(
    harness: Harness,
) -> None:
    with pytest.raises(CouponRefused) as refused:
        await with_coupon(harness, "NOSUCH")
    assert refused.value.reason == "unknown"
    assert harness.inventory.pins == []


async def test_max_uses_hold_under_concurrent_checkouts(harness: Harness) -> None:
    await harness.add_coupon("THREE", percent_off=50, max_uses=3)
    results = await asyncio.gather(
        *(with_coupon(harness, "THREE") for _ in range(8)), return_exceptions=True
    )
    placed = [r for r in results if isinstance(r, Placed)]
    refused = [r for r in results if isinstance(r, CouponRefused)]
    assert (len(placed), len(refused)) == (3, 5)
    assert {r.reason for r in refused} == {"used_up"}
    assert await uses(harness, "THREE") == 3


async def test_a_late_payment_honoured_past_the_limit_lets_no_extra_order_in(
    harness: Harness,
) -> None:
    """A single-use coupon: A's order expires (its use is given back), B takes the use, then
    A's late payment is honoured (the customer paid). When B expires, A still holds the one
    use: C must be refused, not let in as a second paid use beyond A's."""
    await harness.add_coupon("SOLO", percent_off=10, max_uses=1)
    first = (await with_coupon(harness, "SOLO")).document["order_id"]
    await expire(harness, first)
    second = (await with_coupon(harness, "SOLO")).document["order_id"]
    async with harness.database.unit_of_work() as uow:  # A's payment lands after its deadline
        await settlement.settle_payment(harness.orders, uow, SettlePayment(first, "pi_late"))
        await uow.commit()
    assert await uses(harness, "SOLO") == 1
    await expire(harness, second)
    assert await uses(harness, "SOLO") == 1
    with pytest.raises(CouponRefused) as refused:
        await with_coupon(harness, "SOLO")
    assert refused.value.reason == "used_up"


async def expire(harness: Harness, order_id: str) -> None:
    async with harness.database.unit_of_work() as uow:  # its deadline and grace passed
        past = datetime.now(UTC) - timedelta(seconds=harness.orders.settings.payment_grace_s + 1)
        await uow.session.execute(
            update(orders).where(orders.c.order_id == order_id).values(payment_deadline=past)
        )
        await uow.commit()
    assert await expire_due_orders(harness.orders) >= 1


async def test_a_refund_of_a_ticket_the_coupon_did_not_discount_gives_back_its_full_price(
    harness: Harness,
) -> None:
    """Half off the floor only, one floor and one balcony ticket (150 paid of 200): the balcony
    ticket's refund was 75, its pro rata part of the whole order, for a ticket paid 100."""
    await harness.add_coupon("FLOORHALF", percent_off=50, tier_ids=["floor"])
    who = customer()
    hold_id = harness.inventory.hold(
        who.subject, [line("floor", 1, 10000), line("balcony", 1, 10000)]
    )
    placed = await place(harness.orders, checkout(who, hold_id, coupon="FLOORHALF"))
    order_id = placed.document["order_id"]
    assert placed.document["total"]["amount"] == 15000
    await pay(harness, order_id)
    tickets = (await load(harness, order_id)).tickets
    balcony = next(t.ticket_id for t in tickets if t.tier_id == "balcony")

    made, _ = await request_refund(harness.orders, refund(order_id, ticket_ids=[balcony]))

    assert made.amount == 10000
