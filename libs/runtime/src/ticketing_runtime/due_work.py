"""Work a service owes and retries until done (create an intent, refund, render, send an e-mail):
rows with a ``status`` and a ``next_attempt_at``, claimed when due with ``FOR UPDATE SKIP LOCKED``
(another replica skips a claimed row), acted on, committed; a failure backs off (doubling, up to
a cap) and, past the allowed attempts, is parked for staff.

A process killed mid-act leaves its row as it was: the transaction (and its lock) dies with it,
and the row is due again at once. Where the act itself can kill the process (a crash in native
code, memory running out on one huge order), a ``CrashGuard`` counts each attempt before it
starts, outside that transaction: a row whose attempts died ``limit`` times is parked instead of
killing every worker that claims it, and a row whose last attempt died is tried alone, so that a
batch it shared is not parked with it. An act that raises counts the same (a job that makes it
raise each time is parked, not retried first for ever); a shutdown that cancels it does not."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from enum import Enum
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    Update,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_runtime.backoff import Retry
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)

Job = TypeVar("Job")

#: the due rows of a batch (at most ``limit``), claimed in the caller's transaction
Claim = Callable[[AsyncSession, int], Awaitable[Sequence[Job]]]
#: what is done with claimed rows, recorded in the unit of work; returns how many counted
Act = Callable[[UnitOfWork, Sequence[Job]], Awaitable[int]]
#: a job parked by its use case (its error; how many attempts did not finish), in the unit of
#: work, with the events that parking announces
ParkUnfinished = Callable[[UnitOfWork, Job, str, int], Awaitable[None]]

#: the tables a ``CrashGuard`` writes, in the schema of each service that guards its work (a
#: service's ``tables.py`` copies them into its metadata; its migrations create them with
#: ``ticketing_runtime.migrations.attempts_in_flight_revision``)
crash_guard_metadata = MetaData()

#: an attempt begun and not finished: written and committed before the act, deleted with its
#: outcome; what outlives its act counts the attempts whose worker died in them
attempts_in_flight = Table(
    "attempts_in_flight",
    crash_guard_metadata,
    Column("work", Text, primary_key=True, comment="the guarded table"),
    Column("key", Text, primary_key=True, comment="the row of that table"),
    Column("started", Integer, nullable=False, comment="attempts begun, none finished"),
    Column("last_started_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class CrashGuard(Generic[Job]):
    """Parks a row of ``table`` (key column ``key``; ``key_of`` a claimed job's value) whose
    attempts did not finish ``limit`` times running: the worker died in them, or the act raised
    (a job that makes the act raise each time would otherwise be first in line for ever).
    ``park``: the use case's way to park it (with the events parking announces); without one,
    the row's status, attempts and error are written here."""

    table: Table
    key: str
    key_of: Callable[[Job], str]
    limit: int = 3
    parked: str = "parked"
    park: ParkUnfinished[Job] | None = None

    async def screen(self, database: Database, uow: UnitOfWork, due: Sequence[Job]) -> list[Job]:
        """The claimed jobs to act on now, recorded as begun (the others are parked, or wait)."""
        session = uow.session
        died = await self._died(session, [self.key_of(job) for job in due])
        alive: list[Job] = []
        for job in due:
            key = self.key_of(job)
            if died.get(key, 0) >= self.limit:
                await self._park(uow, job, died[key])
            else:
                alive.append(job)
        suspect = next((job for job in alive if died.get(self.key_of(job))), None)
        acting = alive if suspect is None else [suspect]
        if suspect is not None:
            key = self.key_of(suspect)
            log.warning(
                "%s %s: its last attempt died (%d of %d allowed); tried alone",
                self.table.name,
                key,
                died[key],
                self.limit,
            )
        if acting:
            await self._begin(database, [self.key_of(job) for job in acting])
        return acting

    async def finished(self, session: AsyncSession, acted: Sequence[Job]) -> None:
        """The act on ``acted`` recorded its outcomes: their attempts did not die (committed
        with those outcomes)."""
        keys = [self.key_of(job) for job in acted]
        await session.execute(delete(attempts_in_flight).where(self._rows(keys)))

    async def abandoned(self, database: Database, acted: Sequence[Job]) -> None:
        """The act on ``acted`` was cut short by a shutdown: not the jobs' fault, so their
        attempts do not count (on a connection of its own: the act's transaction is gone)."""
        keys = [self.key_of(job) for job in acted]
        undone = (
            update(attempts_in_flight)
            .where(self._rows(keys))
            .values(started=attempts_in_flight.c.started - 1)
        )
        async with database.engine.begin() as connection:
            await connection.execute(undone)
            gone = self._rows(keys) & (attempts_in_flight.c.started <= 0)
            await connection.execute(delete(attempts_in_flight).where(gone))

    def _rows(self, keys: Sequence[str]) -> Any:
        return (attempts_in_flight.c.work == self.table.name) & attempts_in_flight.c.key.in_(keys)

    async def _died(self, session: AsyncSession, keys: Sequence[str]) -> dict[str, int]:
        query = select(attempts_in_flight.c.key, attempts_in_flight.c.started)
        found = await session.execute(query.where(self._rows(keys)))
        return {key: started for key, started in found.all()}

    async def _begin(self, database: Database, keys: Sequence[str]) -> None:
        # committed at once, on a connection of its own: the act's transaction dies with a
        # killed worker, this record does not
        begun = insert(attempts_in_flight).values(
            [
                {"work": self.table.name, "key": key, "started": 1, "last_started_at": func.now()}
                for key in keys
            ]
        )
        begun = begun.on_conflict_do_update(
            index_elements=["work", "key"],
            set_={"started": attempts_in_flight.c.started + 1, "last_started_at": func.now()},
        )
        async with database.engine.begin() as connection:
            await connection.execute(begun)

    async def _park(self, uow: UnitOfWork, job: Job, died: int) -> None:
        key = self.key_of(job)
        error = (
            f"the worker died or failed in each of its last {died} attempts (killed, out of "
            "memory, a crash in native code, or an unexpected error): see its logs, fix the "
            "cause, then try again"
        )
        log.error("%s %s parked: %s", self.table.name, key, error)
        if self.park is not None:
            await self.park(uow, job, error, died)
        else:
            table = self.table
            await uow.session.execute(
                update(table)
                .where(table.c[self.key] == key)
                .values(attempts=table.c.attempts + died, last_error=error, status=self.parked)
            )
        await uow.session.execute(delete(attempts_in_flight).where(self._rows([key])))


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
    names = [f.name for f in dataclass_fields(kind)]  # type: ignore[arg-type]
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
    guard: CrashGuard[Job] | None = None,
) -> int:
    """Claim due rows (``batch_size`` at a time), act, commit, until none is due or ``stop`` is
    set (between batches: a shutdown never cuts an act short, such as an e-mail the SMTP server
    took, which a rollback would send again); returns the sum of what ``act`` counted. ``act``
    records each row's outcome (done, or postponed with a ``Backoff``); if it raises, the
    batch's transaction rolls back and its rows stay due (with a ``guard``: counted as not
    finished, unless a shutdown cancelled it)."""
    counted = 0
    while stop is None or not stop.is_set():
        async with database.unit_of_work() as uow:
            due = await claim(uow.session, batch_size)
            if not due:
                return counted
            if guard is not None:
                due = await guard.screen(database, uow, due)
            if due:
                try:
                    counted += await act(uow, due)
                except asyncio.CancelledError:
                    if guard is not None:
                        await _abandon(database, guard, due)
                    raise
                if guard is not None:
                    await guard.finished(uow.session, due)
            await uow.commit()
    return counted


async def _abandon(database: Database, guard: CrashGuard[Job], due: Sequence[Job]) -> None:
    """``guard.abandoned``, shielded from the shutdown's cancel; a failure is only logged (the
    shutdown goes on: at worst the attempt counts)."""
    try:
        await asyncio.shield(guard.abandoned(database, due))
    except Exception:
        log.warning("could not uncount the attempts a shutdown cut short", exc_info=True)


async def run_due_work(
    database: Database,
    claim: Claim[Job],
    act: Act[Job],
    stop: asyncio.Event,
    *,
    interval_s: float,
    what: str,
    batch_size: int = 1,
    guard: CrashGuard[Job] | None = None,
) -> None:
    """``work_off_due`` every ``interval_s`` until ``stop`` (a failing round is logged and the
    next one tries again)."""

    async def step() -> int:
        return await work_off_due(
            database, claim, act, batch_size=batch_size, stop=stop, guard=guard
        )

    await run_periodically(step, stop, interval_s, what)
