"""Work a service owes and retries until done (create an intent, refund, render, send an e-mail):
rows with a ``status`` and a ``next_attempt_at``, claimed when due with ``FOR UPDATE SKIP LOCKED``
(another replica skips a claimed row), acted on, committed; a failure backs off (doubling, up to
a cap) and, past the allowed attempts, is parked for staff.

A process killed mid-act leaves its row as it was: the transaction (and its lock) dies with it,
and the row is due again at once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Select, Table, Update, func, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_runtime.backoff import Retry
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.periodic import run_periodically

Job = TypeVar("Job")

#: the due rows of a batch (at most ``limit``), claimed in the caller's transaction
Claim = Callable[[AsyncSession, int], Awaitable[Sequence[Job]]]
#: what is done with claimed rows, recorded in the unit of work; returns how many counted
Act = Callable[[UnitOfWork, Sequence[Job]], Awaitable[int]]


def due_query(table: Table, limit: int, *, waiting: str = "pending") -> Select[Any]:
    """The rows of ``table`` in status ``waiting`` whose next attempt is due, oldest first,
    locked (``SKIP LOCKED``: rows another transaction claimed are passed over, not waited for)."""
    return (
        select(table)
        .where(table.c.status == waiting, table.c.next_attempt_at <= func.now())
        .order_by(table.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def claim_due(
    session: AsyncSession, table: Table, limit: int, *, waiting: str = "pending"
) -> list[RowMapping]:
    """Claim (lock) the due rows of ``table`` until the caller's transaction ends."""
    return list((await session.execute(due_query(table, limit, waiting=waiting))).mappings())


def postpone_statement(
    table: Table,
    key: str,
    value: str,
    retry: Retry,
    error: str,
    *,
    waiting: str = "pending",
    parked: str = "parked",
    **also: Any,
) -> Update:
    """Record a failed attempt of the row whose ``key`` column is ``value``: one more attempt,
    the error, when to try again, and whether it waits or is parked (``also``: more columns)."""
    return (
        update(table)
        .where(table.c[key] == value)
        .values(
            attempts=table.c.attempts + 1,
            last_error=error,
            next_attempt_at=retry.next_attempt_at,
            status=parked if retry.park else waiting,
            **also,
        )
    )


def aggregate_of(kind: type[Job], row: RowMapping, **converted: Any) -> Job:
    """The dataclass ``kind`` from the row's columns of the same names (``converted``: fields
    given as their domain type, such as a status enum)."""
    names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
    return kind(**{name: row[name] for name in names if name not in converted}, **converted)


async def save_fields(
    session: AsyncSession,
    table: Table,
    key: str,
    aggregate: object,
    fields: Sequence[str],
    **also: Any,
) -> None:
    """Write ``fields`` of ``aggregate`` (an enum as its value) to its row, the one whose ``key``
    column is the aggregate's attribute of that name; ``also``: more columns."""
    values = {name: _column_value(getattr(aggregate, name)) for name in fields}
    statement = update(table).where(table.c[key] == getattr(aggregate, key))
    await session.execute(statement.values(**values, **also))


def _column_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


async def record_retry(
    session: AsyncSession,
    table: Table,
    key: str,
    value: str,
    retry: Retry,
    error: str,
    **options: Any,
) -> None:
    """Execute ``postpone_statement`` (same arguments) in the caller's transaction."""
    await session.execute(postpone_statement(table, key, value, retry, error, **options))


async def work_off_due(
    database: Database,
    claim: Claim[Job],
    act: Act[Job],
    *,
    batch_size: int = 1,
    stop: asyncio.Event | None = None,
) -> int:
    """Claim due rows (``batch_size`` at a time), act, commit, until none is due or ``stop`` is
    set (between batches: a shutdown never cuts an act short, such as an e-mail the SMTP server
    took, which a rollback would send again); returns the sum of what ``act`` counted. ``act``
    records each row's outcome (done, or postponed with a ``Backoff``); if it raises, the
    batch's transaction rolls back and its rows stay due."""
    counted = 0
    while stop is None or not stop.is_set():
        async with database.unit_of_work() as uow:
            due = await claim(uow.session, batch_size)
            if not due:
                return counted
            counted += await act(uow, due)
            await uow.commit()
    return counted


async def run_due_work(
    database: Database,
    claim: Claim[Job],
    act: Act[Job],
    stop: asyncio.Event,
    *,
    interval_s: float,
    what: str,
    batch_size: int = 1,
) -> None:
    """``work_off_due`` every ``interval_s`` until ``stop`` (a failing round is logged and the
    next one tries again)."""

    async def step() -> int:
        return await work_off_due(database, claim, act, batch_size=batch_size, stop=stop)

    await run_periodically(step, stop, interval_s, what)
