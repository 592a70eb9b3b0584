"""The async engine bound to the service's own schema, and the unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from ticketing_contracts import Event
from ticketing_runtime.outbox import outbox_channel, record_event
from ticketing_runtime.settings import ServiceSettings


def create_engine(settings: ServiceSettings, *, pool_size: int | None = None) -> AsyncEngine:
    """An engine whose every connection works in the service's schema and nowhere else."""
    return create_async_engine(
        settings.database_url,
        pool_size=pool_size or settings.database_pool_size,
        max_overflow=5,
        pool_pre_ping=True,
        connect_args={"server_settings": {"search_path": settings.database_schema}},
    )


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

    async def publish(self, event: Event, *, correlation_id: str | None = None) -> str:
        """Record ``event`` in the outbox of this transaction; returns its message id."""
        self._pending_events += 1
        return await record_event(
            self.session, event, source=self._schema, correlation_id=correlation_id
        )

    async def publish_all(self, events: Sequence[Event], correlation_id: str | None = None) -> None:
        for event in events:
            await self.publish(event, correlation_id=correlation_id)

    async def commit(self) -> None:
        if self._pending_events:
            # NOTIFY is transactional: the relay wakes only once the rows are visible.
            await self.session.execute(
                text("SELECT pg_notify(:channel, '')"), {"channel": outbox_channel(self._schema)}
            )
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

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
