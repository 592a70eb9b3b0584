"""Expiry in process against the real PostgreSQL: an unpaid order past its deadline expires once,
announces ``order.expired`` and gives its coupon use back; one before its deadline stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from tests.orders.integration.conftest import Harness, customer, line
from tests.orders.integration.test_coupons import expire, uses, with_coupon
from tests.orders.integration.test_placement import checkout
from tests.orders.integration.test_settlement import load
from ticketing_orders.adapters.tables import orders
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.service_layer.expiry import expire_due_orders
from ticketing_orders.service_layer.placement import place

pytestmark = pytest.mark.infra


async def test_an_expired_order_gives_its_coupon_use_back_and_is_announced_once(
    harness: Harness,
) -> None:
    await harness.add_coupon("ONCE", percent_off=20, max_uses=1)
    placed = await with_coupon(harness, "ONCE")
    order_id = placed.document["order_id"]
    await expire(harness, order_id)
    assert await expire_due_orders(harness.orders) == 0
    order = await load(harness, order_id)
    assert order.status is OrderStatus.EXPIRED
    assert order.expired_at is not None
    assert await uses(harness, "ONCE") == 0
    expired = await harness.published("orders.order.expired.v1")
    assert [e["hold_id"] for e in expired if e["order_id"] == order_id] == [order.hold_id]
    again = await with_coupon(harness, "ONCE")  # the use is free again
    assert again.document["coupon"] == "ONCE"


async def test_an_order_before_its_deadline_does_not_expire(harness: Harness) -> None:
    placed = await with_coupon(harness, "") if False else None
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    placed = await place(harness.orders, checkout(who, hold_id))
    await expire_due_orders(harness.orders)
    assert (await load(harness, placed.document["order_id"])).status is OrderStatus.PENDING_PAYMENT


async def test_a_payment_made_at_the_last_moment_is_waited_for_through_the_grace(
    harness: Harness,
) -> None:
    """The customer pays at the deadline and the webhook comes seconds later: the order must
    not expire (and its seats go to someone else, and the payment be refunded as late) before
    the grace is over; inventory keeps the seats pinned as long."""
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    placed = await place(harness.orders, checkout(who, hold_id))
    order_id = placed.document["order_id"]
    deadline = datetime.fromisoformat(placed.document["payment_deadline"])
    grace = timedelta(seconds=harness.orders.settings.payment_grace_s)
    [pin] = [p for p in harness.inventory.pins if p["order_id"] == order_id]
    assert datetime.fromisoformat(pin["until"]) == deadline + grace

    async def deadline_passed(ago: timedelta) -> None:
        async with harness.database.unit_of_work() as uow:
            await uow.session.execute(
                update(orders)
                .where(orders.c.order_id == order_id)
                .values(payment_deadline=datetime.now(UTC) - ago)
            )
            await uow.commit()

    await deadline_passed(timedelta(seconds=2))  # within the grace: still payable
    await expire_due_orders(harness.orders)
    assert (await load(harness, order_id)).status is OrderStatus.PENDING_PAYMENT
    await deadline_passed(grace + timedelta(seconds=1))
    await expire_due_orders(harness.orders)
    assert (await load(harness, order_id)).status is OrderStatus.EXPIRED
