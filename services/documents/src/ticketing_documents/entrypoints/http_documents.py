"""Documents over HTTP: PDFs for the orders service (which checks the customer's token), and a
re-render for staff."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from ticketing_documents.entrypoints.dependencies import DocumentsDep
from ticketing_documents.service_layer import reading
from ticketing_documents.service_layer.rendering import RenderAgain, request_render_again
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, require_roles, require_service

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
    return await reading.order_documents(docs, order_id)


@router.post("/v1/documents/orders/{order_id}/render", status_code=202, tags=["documents"])
async def render_again(order_id: PathId, staff: Staff, docs: DocumentsDep) -> dict[str, str]:
    """Render the order's tickets again (after a refund, a name change or a parked render): the
    new version supersedes the old one once rendered, and ``documents.tickets.rendered`` says so.
    The customer is mailed only if no earlier render of the order ever reached them."""
    async with docs.database.unit_of_work() as uow:
        await request_render_again(uow, RenderAgain(order_id, staff))
    return {"order_id": order_id, "status": "pending"}


async def _current_pdf(docs: DocumentsDep, order_id: str, ticket_id: str | None) -> Response:
    found = await reading.current_pdf(docs, order_id, ticket_id)
    name = f"{ticket_id or 'tickets'}-v{found.version}.pdf"
    return Response(
        found.data,
        media_type=PDF,
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Document-Id": found.document_id,
            "X-Document-Version": str(found.version),
        },
    )
