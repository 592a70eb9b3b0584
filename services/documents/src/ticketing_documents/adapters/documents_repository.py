"""Render jobs and stored documents (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_documents.adapters.tables import documents, render_jobs

Row = dict[str, Any]


async def request_render(session: AsyncSession, order_id: str, *, again: bool) -> None:
    """Version 1 of an order's documents (a repeat changes nothing); ``again``: the next version
    (staff re-render after a refund or a name change)."""
    statement = insert(render_jobs).values(order_id=order_id, version=1, status="pending")
    if again:
        statement = statement.on_conflict_do_update(
            index_elements=["order_id"],
            set_={
                "version": render_jobs.c.version + 1,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": func.now(),
                "requested_at": func.now(),
                "last_error": None,
            },
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=["order_id"])
    await session.execute(statement)


async def due_jobs(session: AsyncSession, limit: int) -> list[Row]:
    """Due jobs, locked while they render (another replica skips them)."""
    query = (
        select(render_jobs)
        .where(render_jobs.c.status == "pending", render_jobs.c.next_attempt_at <= func.now())
        .order_by(render_jobs.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def finish_job(session: AsyncSession, order_id: str, render_ms: int) -> None:
    await session.execute(
        update(render_jobs)
        .where(render_jobs.c.order_id == order_id)
        .values(status="done", rendered_at=func.now(), render_ms=render_ms, last_error=None)
    )


async def postpone_job(
    session: AsyncSession, order_id: str, error: str, until: datetime, park: bool
) -> None:
    await session.execute(
        update(render_jobs)
        .where(render_jobs.c.order_id == order_id)
        .values(
            attempts=render_jobs.c.attempts + 1,
            last_error=error,
            next_attempt_at=until,
            status="parked" if park else "pending",
        )
    )


async def replace_current(session: AsyncSession, order_id: str, stored: list[Row]) -> None:
    """``stored`` become the order's current documents; earlier versions are superseded."""
    await session.execute(
        update(documents)
        .where(documents.c.order_id == order_id, documents.c.superseded_at.is_(None))
        .values(superseded_at=func.now())
    )
    await session.execute(insert(documents), stored)


async def current(session: AsyncSession, order_id: str, ticket_id: str | None) -> Row | None:
    query = select(documents).where(
        documents.c.order_id == order_id,
        documents.c.superseded_at.is_(None),
        documents.c.ticket_id.is_(None)
        if ticket_id is None
        else documents.c.ticket_id == ticket_id,
    )
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def of_order(session: AsyncSession, order_id: str) -> list[Row]:
    """Every PDF stored for the order, each version, oldest first (for staff)."""
    query = (
        select(documents)
        .where(documents.c.order_id == order_id)
        .order_by(documents.c.version, documents.c.ticket_id.nulls_first())
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def job_of(session: AsyncSession, order_id: str) -> Row | None:
    query = select(render_jobs).where(render_jobs.c.order_id == order_id)
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def parked_jobs(session: AsyncSession, limit: int = 500) -> list[Row]:
    """Render jobs given up on (parked for staff), latest first."""
    query = (
        select(render_jobs)
        .where(render_jobs.c.status == "parked")
        .order_by(render_jobs.c.requested_at.desc())
        .limit(limit)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
