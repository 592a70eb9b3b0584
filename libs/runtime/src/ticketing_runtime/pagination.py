"""Stripe-style pages (``limit``, ``starting_after``, ``has_more``) read by keyset, not offset:
a page costs the same however deep it is, and rows added meanwhile never shift it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

Row = dict[str, Any]
MAX_LIMIT = 100


async def keyset_page(
    session: AsyncSession,
    query: Select[Any],
    order_by: Sequence[ColumnElement[Any]],
    after: Sequence[Any] | None,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[Row], bool]:
    """Up to ``limit`` rows of ``query`` that sort after the key ``after`` (the values of
    ``order_by`` of the last row of the previous page), and whether more follow."""
    key = tuple_(*order_by)
    if after is not None:
        query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
    ordering = [c.desc() for c in order_by] if descending else list(order_by)
    found = (await session.execute(query.order_by(*ordering).limit(limit + 1))).all()
    rows = [dict(r._mapping) for r in found]
    return rows[:limit], len(rows) > limit
