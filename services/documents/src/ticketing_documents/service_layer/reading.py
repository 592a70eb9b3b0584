"""What documents tells about an order: its current PDFs, its render job, the parked renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketing_documents.adapters import documents_repository as repo
from ticketing_documents.adapters.document_store import DocumentNotFound
from ticketing_documents.domain.render_job import RenderJob
from ticketing_documents.service_layer.container import Documents
from ticketing_documents.service_layer.exceptions import (
    DocumentNotReady,
    RenderNotFound,
    StoredDocumentMissing,
)


@dataclass(frozen=True)
class CurrentPdf:
    document_id: str
    version: int
    data: bytes


async def current_pdf(docs: Documents, order_id: str, ticket_id: str | None) -> CurrentPdf:
    """The current PDF of the order (``ticket_id`` None) or of one of its tickets."""
    async with docs.database.unit_of_work() as uow:
        found = await repo.current(uow.session, order_id, ticket_id)
    if found is None:
        raise DocumentNotReady("the tickets are being prepared; try again in a few seconds")
    try:
        data = await docs.store.get(found["storage_key"])
    except DocumentNotFound as exc:
        raise StoredDocumentMissing("the stored PDF is missing") from exc
    return CurrentPdf(found["document_id"], found["version"], data)


async def order_documents(docs: Documents, order_id: str) -> dict[str, Any]:
    """The order's render job and every PDF stored for it (staff see them in the console)."""
    async with docs.database.unit_of_work() as uow:
        job = await repo.job_of(uow.session, order_id)
        stored = await repo.of_order(uow.session, order_id)
    kept = ("document_id", "ticket_id", "version", "size_bytes", "created_at", "superseded_at")
    return {
        "render_job": None
        if job is None
        else {
            "version": job.version,
            "status": job.status.value,
            "attempts": job.attempts,
            "last_error": job.last_error,
            "rendered_at": job.rendered_at,
        },
        "documents": [{k: d[k] for k in kept} for d in stored],
    }


async def render_status(docs: Documents, order_id: str) -> RenderJob:
    async with docs.database.unit_of_work() as uow:
        job = await repo.job_of(uow.session, order_id)
    if job is None:
        raise RenderNotFound(f"no render of order {order_id!r} was asked for")
    return job


async def parked_render_count(docs: Documents) -> int:
    async with docs.database.unit_of_work() as uow:
        return await repo.parked_count(uow.session)


async def parked_renders(docs: Documents) -> list[RenderJob]:
    async with docs.database.unit_of_work() as uow:
        return await repo.parked_jobs(uow.session)
