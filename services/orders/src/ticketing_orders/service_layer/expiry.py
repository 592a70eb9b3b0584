"""Orders not paid by their deadline expire: hold, coupon use and intent are released; and
placements whose process died free their key."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.periodic import run_periodically


async def expire_due_orders(orders: Orders, limit: int = 200) -> int:
    """Orders whose deadline passed more than the grace ago (a payment made at the last moment
    is heard meanwhile and pays them as usual). Safe in every replica (rows locked, others skip
    them)."""
    now = datetime.now(UTC)
    overdue = now - timedelta(seconds=orders.settings.payment_grace_s)
    async with orders.database.unit_of_work() as uow:
        due = await repo.due_to_expire(uow.session, overdue, limit=limit)
        for order in due:
            await uow.publish(order.expire(now))
            await repo.save(uow.session, order)
            await coupons.release(uow.session, order.order_id)
        await uow.commit()
    return len(due)


async def drop_abandoned_placements(orders: Orders) -> int:
    """A placement whose process died mid-way leaves a ``placing`` claim: free its key and
    coupon use (a hold it pinned comes back by itself at the pin's deadline)."""
    before = datetime.now(UTC) - timedelta(seconds=orders.settings.abandoned_placement_s)
    async with orders.database.unit_of_work() as uow:
        abandoned = await repo.abandoned_claims(uow.session, before, limit=100)
        for order_id in abandoned:
            await coupons.release(uow.session, order_id)
            await repo.drop_claim(uow.session, order_id)
        await uow.commit()
    return len(abandoned)


async def expiry_loop(orders: Orders, stop: asyncio.Event) -> None:
    async def step() -> int:
        return await expire_due_orders(orders) + await drop_abandoned_placements(orders)

    interval = orders.settings.order_expiry_interval_s
    await run_periodically(step, stop, interval, "order expiry")
