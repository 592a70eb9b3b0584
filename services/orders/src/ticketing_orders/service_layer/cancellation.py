"""Orders given up unpaid, by their customer or staff: the hold and the coupon use go back, the
intent is cancelled (payments) and the customer is told (``order.cancelled``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.model import Order
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.service_layer.commands import CancelOrder, ReadOrder
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.reading import readable_order
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import UnitOfWork


async def cancel_order(orders: Orders, command: CancelOrder) -> dict[str, Any]:
    """The order as it is now (``present``ed); cancelling again answers the same. A paid order
    raises ``OrderNotCancellable``: it is refunded instead."""
    by_staff = command.caller is not None and command.caller.handles_orders
    reason = f"cancelled by the {'staff' if by_staff else 'customer'}"
    async with orders.database.unit_of_work() as uow:
        read = ReadOrder(command.order_id, command.caller, command.token)
        order = await readable_order(uow.session, read, lock=True)
        if order.status is not OrderStatus.CANCELLED:
            await cancel_unpaid(uow, order, reason)
            if by_staff and command.caller is not None:
                order_id = order.order_id
                target = ("order", order_id)
                action = "orders.order.cancelled"
                await record_action(uow, command.caller, action, order_id=order_id, target=target)
        document = await orders.present(uow.session, order)
        await uow.commit()
    return document


async def cancel_unpaid(
    uow: UnitOfWork, order: Order, reason: str, *, performance_cancelled: bool = False
) -> None:
    """Cancel an order that is waiting for its payment (the caller holds its row lock)."""
    now = datetime.now(UTC)
    await uow.publish(order.cancel(reason, now, performance_cancelled=performance_cancelled))
    await repo.save(uow.session, order)
    await coupons.release(uow.session, order.order_id)
