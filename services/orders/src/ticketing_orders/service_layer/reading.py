"""Who may read an order: its access token's holder, or staff."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters import door_repository as door
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.errors import OrderNotFound
from ticketing_orders.domain.model import Order
from ticketing_orders.domain.order import token_matches
from ticketing_orders.service_layer.commands import ReadOrder
from ticketing_orders.service_layer.container import Orders


async def readable_order(session: AsyncSession, command: ReadOrder, *, lock: bool = False) -> Order:
    """The order, when the caller may see it; a wrong token raises the same ``OrderNotFound``
    as a missing order (and an order still being placed is not there yet)."""
    order = await repo.get(session, command.order_id, lock=lock)
    caller = command.caller
    allowed = order is not None and (
        (caller is not None and caller.handles_orders)
        or token_matches(command.token, order.access_token_digest)
    )
    if order is None or not allowed or not order.is_priced:
        raise OrderNotFound(f"no order {command.order_id!r} for this token")
    return order


async def staff_order(session: AsyncSession, order_id: str, *, placing_too: bool = False) -> Order:
    """Any placed order (``placing_too``: or one still being placed), for staff."""
    order = await repo.get(session, order_id)
    if order is None or not (order.is_priced or placing_too):
        raise OrderNotFound(f"no order {order_id!r}")
    return order


async def performance_cancelled(session: AsyncSession, order: Order) -> bool:
    """The order's performance was cancelled (a desk sale's money is then owed at the desk)."""
    return order.performance_id is not None and await door.is_cancelled(
        session, order.performance_id
    )


async def failed_refund_count(orders: Orders) -> int:
    async with orders.database.unit_of_work() as uow:
        return await refunds.failed_count(uow.session)
