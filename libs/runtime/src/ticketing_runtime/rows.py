"""Row helpers the repositories share (inside the caller's transaction)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession


async def count_rows(session: AsyncSession, table: Table, where: ColumnElement[bool]) -> int:
    """How many rows of ``table`` match ``where``."""
    query = select(func.count()).select_from(table).where(where)
    return int(await session.scalar(query) or 0)


async def row_by_key(
    session: AsyncSession, table: Table, key: str, value: object, *, lock: bool = False
) -> RowMapping | None:
    """The row of ``table`` whose ``key`` column is ``value`` (``lock``: ``FOR UPDATE``, until
    the caller's transaction ends), or ``None``."""
    query = select(table).where(table.c[key] == value)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).mappings().first()


async def insert_once(session: AsyncSession, table: Table, key: str, /, **values: Any) -> bool:
    """Insert the row (``values``, by column) unless one with the same ``key`` (a unique column)
    is there already; ``True`` when this call inserted it (``False``: a repeat, nothing changed).
    The first three are positional only: a column may be called ``key``."""
    done = await session.execute(
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[key])
        .returning(table.c[key])
    )
    return done.first() is not None
