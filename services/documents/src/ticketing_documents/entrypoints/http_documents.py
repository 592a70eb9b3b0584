"""Documents over HTTP: PDFs for the orders service (which checks the customer's token), and a
re-render for staff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from ticketing_documents.adapters import documents_repository as repo
from ticketing_documents.adapters.document_store import DocumentNotFound
from ticketing_documents.entrypoints.deps import DocumentsDep
from ticketing_runtime.audit import record_action
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, require_roles, require_service
from ticketing_runtime.problems import Problem

router = APIRouter()
OrdersService = Annotated[Identity, Depends(require_service("orders", "notifications"))]
Staff = Annotated[Identity, Depends(require_roles("staff"))]
PDF = "application/pdf"


@router.get("/internal/orders/{order_id}/tickets.pdf", tags=["internal"])
async def order_pdf(order_id: PathId, _: OrdersService, docs: DocumentsDep) -> Response:
    return await _current_pdf(docs, order_id, None)


@router.get("/internal/orders/{order_id}/tickets/{ticket_id}.pdf", tags=["internal"])
async def ticket_pdf(
    order_id: PathId, ticket_id: PathId, _: OrdersService, docs: DocumentsDep
) -> Response:
    return await _current_pdf(docs, order_id, ticket_id)


@router.get("/internal/orders/{order_id}/documents", tags=["internal"])
async def order_documents(order_id: str, _: OrdersService, docs: DocumentsDep) -> dict[str, Any]:
    """The order's render job and every PDF stored for it (staff see them in the console)."""
    async with docs.database.unit_of_work() as uow:
        job = await repo.job_of(uow.session, order_id)
        stored = await repo.of_order(uow.session, order_id)
    kept = ("document_id", "ticket_id", "version", "size_bytes", "created_at", "superseded_at")
    return {
        "render_job": None
        if job is None
        else {k: job[k] for k in ("version", "status", "attempts", "last_error", "rendered_at")},
        "documents": [{k: d[k] for k in kept} for d in stored],
    }


@router.post("/v1/documents/orders/{order_id}/render", status_code=202, tags=["documents"])
async def render_again(order_id: PathId, staff: Staff, docs: DocumentsDep) -> dict[str, str]:
    """Render the order's tickets again (after a refund or a name change): the new version
    supersedes the old one once rendered, and ``documents.tickets.rendered`` says so."""
    async with docs.database.unit_of_work() as uow:
        await repo.request_render(uow.session, order_id, again=True)
        await record_action(
            uow,
            staff,
            "documents.rerender.requested",
            order_id=order_id,
            target=("order", order_id),
        )
        await uow.commit()
    return {"order_id": order_id, "status": "pending"}


async def _current_pdf(docs: DocumentsDep, order_id: str, ticket_id: str | None) -> Response:
    async with docs.database.unit_of_work() as uow:
        found = await repo.current(uow.session, order_id, ticket_id)
    if found is None:
        raise Problem(
            404, "document-not-ready", "the tickets are being prepared; try again in a few seconds"
        )
    try:
        data = await docs.store.get(found["storage_key"])
    except DocumentNotFound as exc:
        raise Problem(404, "document-not-found", "the stored PDF is missing") from exc
    name = f"{ticket_id or 'tickets'}-v{found['version']}.pdf"
    return Response(
        data,
        media_type=PDF,
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Document-Id": found["document_id"],
            "X-Document-Version": str(found["version"]),
        },
    )
