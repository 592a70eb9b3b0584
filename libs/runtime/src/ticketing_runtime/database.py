"""The async engine bound to the service's own schema, and the unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

import asyncpg
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ticketing_contracts import Event
from ticketing_runtime.outbox import outbox_channel, write_outbox_row
from ticketing_runtime.settings import ServiceSettings


def create_engine(settings: ServiceSettings, *, pool_size: int | None = None) -> AsyncEngine:
    """An engine whose every connection works in the service's schema and nowhere else."""
    engine = create_async_engine(
        settings.database_url,
        pool_size=pool_size or settings.database_pool_size,
        max_overflow=5,
        # no pool_pre_ping: on asyncpg it is BEGIN, a statement and ROLLBACK (three round trips)
        # on every checkout; a connection the server closed is refused at checkout below instead
        connect_args={"server_settings": {"search_path": settings.database_schema}},
    )
    sqlalchemy_event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A restarted or terminated server closes its sockets, and asyncpg notices it at once: such
    a pooled connection is replaced at checkout (the pool tries a fresh one) without a round
    trip. A connection that dies unnoticed fails its first statement, and SQLAlchemy then
    invalidates the whole pool."""
    if record.driver_connection.is_closed():
        raise exc.DisconnectionError("connection closed by the server")


async def transaction_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection of ``session``'s transaction, with the transaction begun, for the
    runtime's own hot statements (inbox, outbox): asyncpg's prepared statements without
    SQLAlchemy's execution layers, in the same transaction as the session's ORM work."""
    pooled = await (await session.connection()).get_raw_connection()
    adapted = pooled.dbapi_connection
    # SQLAlchemy's asyncpg adapter begins lazily, at the first statement it runs; a statement
    # sent past it must begin the same transaction first (what the adapter would do itself)
    if adapted._transaction is None:  # type: ignore[union-attr]
        await adapted._start_transaction()  # type: ignore[union-attr]
    driver = pooled.driver_connection
    assert isinstance(driver, asyncpg.Connection)
    return driver


async def begin_with(
    session: AsyncSession, literal_statement: str, statement: str, *args: Any
) -> str:
    """Run the first statement of ``session``'s transaction and return its status.

    When the transaction has not begun yet, ``BEGIN`` and ``literal_statement`` (the same
    statement with its values inlined by ``sql_literal``) go to the server in one simple-query
    round trip instead of two; otherwise ``statement`` runs with ``args`` as a prepared one.
    """
    pooled = await (await session.connection()).get_raw_connection()
    adapted: Any = pooled.dbapi_connection
    driver = pooled.driver_connection
    assert isinstance(driver, asyncpg.Connection)
    plain_begin = not (adapted.isolation_level or adapted.readonly or adapted.deferrable)
    literals_safe = driver.get_settings().standard_conforming_strings == "on"
    if adapted._transaction is not None or not (plain_begin and literals_safe):
        if adapted._transaction is None:
            await adapted._start_transaction()
        return str(await driver.execute(statement, *args))
    # the adapter only ever commits or rolls back the transaction it keeps: one it did not
    # begin itself is ended by these two statements (set first: a failed statement rolls back)
    adapted._transaction = _BegunTransaction(driver)
    status: str = await driver.execute(f"BEGIN; {literal_statement}")
    return status


class _BegunTransaction:
    """A transaction begun by ``begin_with``, as SQLAlchemy's asyncpg adapter keeps one."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def commit(self) -> None:
        await self._connection.execute("COMMIT")

    async def rollback(self) -> None:
        await self._connection.execute("ROLLBACK")


def sql_literal(value: str) -> str:
    """``value`` as a PostgreSQL string literal (for ``begin_with``, which runs only where
    ``standard_conforming_strings`` is on: a quote is the one character to escape)."""
    if "\x00" in value:
        raise ValueError("a PostgreSQL text value cannot hold NUL")
    return "'" + value.replace("'", "''") + "'"


class UnitOfWork:
    """One transaction: state changes plus the outbox rows of the events they cause.

    Leaving the block without ``commit()`` rolls back, events included — an event written in a
    transaction that rolls back is never published.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], schema: str) -> None:
        self._sessions = sessions
        self._schema = schema
        self._pending_events = 0
        self.session: AsyncSession

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        await self.session.begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.rollback()
        await self.session.close()

    @property
    def service(self) -> str:
        """The service whose schema this unit of work writes (schemas are named after them)."""
        return self._schema

    async def publish(
        self, event: Event, *, correlation_id: str | None = None, message_id: str | None = None
    ) -> str:
        """Record ``event`` in the outbox of this transaction; returns its message id. A
        ``message_id`` of the caller's names a fact that may be told twice (its second row, the
        first still in the outbox, is not written; consumers' inboxes drop a later one)."""
        connection = await transaction_connection(self.session)
        # the first row of the transaction also queues its NOTIFY, in the same statement (the
        # relay wakes at commit, once the rows are visible; one NOTIFY per transaction)
        notify = outbox_channel(self._schema) if self._pending_events == 0 else None
        self._pending_events += 1
        return await write_outbox_row(
            connection,
            event,
            source=self._schema,
            correlation_id=correlation_id,
            notify=notify,
            message_id=message_id,
        )

    async def publish_all(self, events: Sequence[Event], correlation_id: str | None = None) -> None:
        for event in events:
            await self.publish(event, correlation_id=correlation_id)

    async def commit(self) -> None:
        await self.session.commit()
        self._pending_events = 0


class Database:
    """The service's engine and a factory of units of work."""

    def __init__(self, settings: ServiceSettings, engine: AsyncEngine | None = None) -> None:
        self.settings = settings
        self.engine = engine or create_engine(settings)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.settings.database_schema)

    async def ping(self, timeout_s: float = 2.0) -> None:
        """Whether the database answers, on a connection of its own: a pool that every request
        holds (a busy pod on sale day) is not a database that is down, and a readiness probe
        that queued for it took busy pods out of rotation one after another."""
        url = self.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        conn = await asyncpg.connect(dsn, timeout=timeout_s)
        try:
            await conn.fetchval("SELECT 1", timeout=timeout_s)
        finally:
            await conn.close(timeout=timeout_s)

    async def dispose(self) -> None:
        await self.engine.dispose()
