"""Render jobs and stored documents (inside the caller's transaction)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_documents.adapters.tables import documents, render_jobs
from ticketing_documents.domain.render_job import RenderJob, RenderStatus, StoredDocument
from ticketing_runtime.backoff import Retry
from ticketing_runtime.due_work import (
    CrashGuard,
    aggregate_of,
    claim_due,
    record_retry,
    save_fields,
)
from ticketing_runtime.rows import count_rows, row_by_key

#: a stored document as staff and the PDF routes read it (a read model)
DocumentRow = dict[str, Any]


#: what asking for the next version of an order's documents sets on its render job
_NEXT_VERSION = {
    "version": render_jobs.c.version + 1,
    "status": RenderStatus.PENDING.value,
    "attempts": 0,
    "next_attempt_at": func.now(),
    "requested_at": func.now(),
    "last_error": None,
}


async def request_render(session: AsyncSession, order_id: str, *, again: bool) -> None:
    """Version 1 of an order's documents (a repeat changes nothing); ``again``: the next version
    (after a refund), version 1 if the order was never rendered."""
    pending = RenderStatus.PENDING.value
    statement = insert(render_jobs).values(order_id=order_id, version=1, status=pending)
    if again:
        statement = statement.on_conflict_do_update(index_elements=["order_id"], set_=_NEXT_VERSION)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=["order_id"])
    await session.execute(statement)


async def request_next_version(session: AsyncSession, order_id: str) -> bool:
    """The next version of an order already rendered (or being rendered); False if there is no
    render job for it, which this does not create."""
    statement = (
        update(render_jobs)
        .where(render_jobs.c.order_id == order_id)
        .values(_NEXT_VERSION)
        .returning(render_jobs.c.version)
    )
    return (await session.execute(statement)).first() is not None


#: a render that killed the worker three times running (WeasyPrint's native code, memory) is
#: parked, instead of stopping every render behind it
crash_guard: CrashGuard[RenderJob] = CrashGuard(render_jobs, "order_id", lambda job: job.order_id)


async def due_jobs(session: AsyncSession, limit: int) -> list[RenderJob]:
    """Due jobs, locked while they render (another replica skips them)."""
    return [_job(row) for row in await claim_due(session, render_jobs, limit)]


async def save_finished(session: AsyncSession, job: RenderJob) -> None:
    done = ("status", "render_ms", "last_error")
    await save_fields(session, render_jobs, "order_id", job, done, rendered_at=func.now())


async def save_postponed(session: AsyncSession, job: RenderJob, retry: Retry) -> None:
    error = job.last_error or ""
    await record_retry(session, render_jobs, "order_id", job.order_id, retry, error)


async def replace_current(
    session: AsyncSession, order_id: str, stored: list[StoredDocument]
) -> None:
    """``stored`` become the order's current documents; earlier versions are superseded."""
    await withdraw_current(session, order_id)
    await session.execute(insert(documents), [asdict(d) for d in stored])


async def withdraw_current(session: AsyncSession, order_id: str) -> None:
    """The order's current documents are superseded by nothing (none of its tickets is valid)."""
    await session.execute(
        update(documents)
        .where(documents.c.order_id == order_id, documents.c.superseded_at.is_(None))
        .values(superseded_at=func.now())
    )


async def withdraw_whole_order(session: AsyncSession, order_id: str) -> None:
    """The order's current PDF of all its tickets is superseded by nothing for now (it holds a
    ticket no longer valid); each valid ticket's own PDF stays."""
    await session.execute(
        update(documents)
        .where(
            documents.c.order_id == order_id,
            documents.c.superseded_at.is_(None),
            documents.c.ticket_id.is_(None),
        )
        .values(superseded_at=func.now())
    )


async def current(
    session: AsyncSession, order_id: str, ticket_id: str | None
) -> DocumentRow | None:
    query = select(documents).where(
        documents.c.order_id == order_id,
        documents.c.superseded_at.is_(None),
        documents.c.ticket_id.is_(None)
        if ticket_id is None
        else documents.c.ticket_id == ticket_id,
    )
    found = (await session.execute(query)).mappings().first()
    return dict(found) if found else None


async def of_order(session: AsyncSession, order_id: str) -> list[DocumentRow]:
    """Every PDF stored for the order, each version, oldest first (for staff)."""
    query = (
        select(documents)
        .where(documents.c.order_id == order_id)
        .order_by(documents.c.version, documents.c.ticket_id.nulls_first())
    )
    return [dict(row) for row in (await session.execute(query)).mappings()]


async def job_of(session: AsyncSession, order_id: str) -> RenderJob | None:
    found = await row_by_key(session, render_jobs, "order_id", order_id)
    return _job(found) if found else None


async def parked_count(session: AsyncSession) -> int:
    return await count_rows(session, render_jobs, render_jobs.c.status == RenderStatus.PARKED.value)


async def parked_jobs(session: AsyncSession, limit: int = 500) -> list[RenderJob]:
    """Render jobs given up on (parked for staff), latest first."""
    query = (
        select(render_jobs)
        .where(render_jobs.c.status == RenderStatus.PARKED.value)
        .order_by(render_jobs.c.requested_at.desc())
        .limit(limit)
    )
    return [_job(row) for row in (await session.execute(query)).mappings()]


def _job(row: RowMapping) -> RenderJob:
    return aggregate_of(RenderJob, row, status=RenderStatus(row["status"]))


async def wait_for_render(session: AsyncSession, order_id: str) -> None:
    """Lock the order's render job: a render in flight (it holds the job from its claim to its
    commit) finishes first, so what it stores is there to be deleted after it."""
    query = select(render_jobs.c.order_id).where(render_jobs.c.order_id == order_id)
    await session.execute(query.with_for_update())


async def forget_order(session: AsyncSession, order_id: str) -> list[str]:
    """Every document of the order, each version, gone from the records; their storage keys
    (for the caller to delete the PDFs)."""
    gone = delete(documents).where(documents.c.order_id == order_id)
    return list((await session.execute(gone.returning(documents.c.storage_key))).scalars())
