"""Orders that end unpaid: expired at their deadline, or cancelled. Either way the hold and the
coupon use go back, the intent is cancelled (payments) and the customer is told (the event)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import OrderCancelledV1, OrderExpiredV1
from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.order import IllegalTransition, OrderStatus, transition
from ticketing_orders.entrypoints.views import customer_of
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.problems import Problem


async def expire_order(uow: UnitOfWork, order: dict[str, Any], now: datetime) -> None:
    """``order`` is locked by the caller and past its deadline."""
    transition(OrderStatus(order["status"]), OrderStatus.EXPIRED)
    await repo.update_order(
        uow.session, order["order_id"], status=OrderStatus.EXPIRED.value, expired_at=now
    )
    await coupons.release(uow.session, order["order_id"])
    await uow.publish(
        OrderExpiredV1(
            order_id=order["order_id"],
            hold_id=order["hold_id"],
            performance_id=order["performance_id"],
            expired_at=now,
            customer=customer_of(order),
        )
    )


async def cancel_order(uow: UnitOfWork, order: dict[str, Any], reason: str) -> dict[str, Any]:
    """``order`` is locked by the caller; returns it as it is now."""
    status = OrderStatus(order["status"])
    if status is OrderStatus.CANCELLED:
        return order
    try:
        transition(status, OrderStatus.CANCELLED)
    except IllegalTransition as exc:
        raise Problem(409, "order-not-cancellable", str(exc)) from exc
    now = datetime.now(UTC)
    await repo.update_order(
        uow.session, order["order_id"], status=OrderStatus.CANCELLED.value, cancelled_at=now
    )
    await coupons.release(uow.session, order["order_id"])
    await uow.publish(
        OrderCancelledV1(
            order_id=order["order_id"],
            hold_id=order["hold_id"],
            performance_id=order["performance_id"],
            reason=reason,
            customer=customer_of(order),
        )
    )
    return {**order, "status": OrderStatus.CANCELLED.value, "cancelled_at": now}
