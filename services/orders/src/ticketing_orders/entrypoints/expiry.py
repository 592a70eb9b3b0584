"""Orders not paid by their deadline expire: hold, coupon use and intent are released."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from ticketing_contracts import OrderExpiredV1
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.order import OrderStatus, transition
from ticketing_orders.entrypoints.deps import Orders
from ticketing_runtime.periodic import run_periodically


async def expire_due_orders(orders: Orders) -> int:
    """Safe in every replica (rows locked, others skip them)."""
    now = datetime.now(UTC)
    async with orders.database.unit_of_work() as uow:
        due = await repo.due_to_expire(uow.session, now, limit=200)
        for order in due:
            transition(OrderStatus(order["status"]), OrderStatus.EXPIRED)
            await repo.update_order(
                uow.session, order["order_id"], status=OrderStatus.EXPIRED.value, expired_at=now
            )
            await uow.publish(
                OrderExpiredV1(
                    order_id=order["order_id"],
                    hold_id=order["hold_id"],
                    performance_id=order["performance_id"],
                    expired_at=now,
                )
            )
        await uow.commit()
    return len(due)


async def expiry_loop(orders: Orders, stop: asyncio.Event) -> None:
    interval = orders.settings.order_expiry_interval_s
    await run_periodically(lambda: expire_due_orders(orders), stop, interval, "order expiry")
