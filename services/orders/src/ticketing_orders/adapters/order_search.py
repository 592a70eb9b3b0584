"""Orders as staff look for them: filters, newest first, keyset pages (inside a transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.tables import orders
from ticketing_orders.domain.errors import UnknownCursor
from ticketing_orders.domain.order import OrderStatus, order_number_typed
from ticketing_runtime.pagination import keyset_page

Row = dict[str, Any]
_NEWEST_FIRST = (orders.c.created_at, orders.c.order_id)


@dataclass(frozen=True)
class OrderFilter:
    order_number: str | None = None
    email: str | None = None
    name: str | None = None  # any part of the name, any case
    performance_id: str | None = None
    status: str | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive


def _like_any_part(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(
    session: AsyncSession, wanted: OrderFilter, after: str | None, limit: int
) -> tuple[list[Row], bool]:
    query = select(orders).where(orders.c.status != OrderStatus.PLACING.value)
    if wanted.order_number:
        query = query.where(orders.c.order_number == order_number_typed(wanted.order_number))
    if wanted.email:
        query = query.where(func.lower(orders.c.customer_email) == wanted.email.strip().lower())
    if wanted.name:
        query = query.where(orders.c.customer_name.ilike(_like_any_part(wanted.name.strip())))
    if wanted.performance_id:
        query = query.where(orders.c.performance_id == wanted.performance_id)
    if wanted.status:
        query = query.where(orders.c.status == wanted.status)
    if wanted.created_from:
        query = query.where(orders.c.created_at >= wanted.created_from)
    if wanted.created_to:
        query = query.where(orders.c.created_at < wanted.created_to)
    key = None
    if after is not None:
        found = await session.execute(select(*_NEWEST_FIRST).where(orders.c.order_id == after))
        cursor = found.first()
        if cursor is None:
            raise UnknownCursor(f"starting_after: no order {after!r}")
        key = tuple(cursor)
    return await keyset_page(session, query, _NEWEST_FIRST, key, limit, descending=True)
