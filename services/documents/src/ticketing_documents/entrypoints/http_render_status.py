"""Renders that failed for good, visible to staff (invariant 3: every issued ticket gets its PDF,
or sits visibly for staff): one order's render status for orders' staff view, and the documents
reconciliation report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ticketing_documents.domain.render_job import RenderJob
from ticketing_documents.entrypoints.dependencies import DocumentsDep
from ticketing_documents.service_layer import reading
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, require_roles, require_service

router = APIRouter()
OrdersService = Annotated[Identity, Depends(require_service("orders"))]
Staff = Annotated[Identity, Depends(require_roles("admin", "staff"))]


class RenderStatusOut(BaseModel):
    order_id: str
    version: int
    status: str  # pending, done or parked
    attempts: int
    last_error: str | None
    requested_at: datetime
    rendered_at: datetime | None


class DocumentsReconciliation(BaseModel):
    parked_renders: int
    renders: list[RenderStatusOut]


@router.get(
    "/internal/orders/{order_id}/render-status",
    response_model=RenderStatusOut,
    tags=["internal"],
)
async def render_status(order_id: PathId, _: OrdersService, docs: DocumentsDep) -> RenderStatusOut:
    return _out(await reading.render_status(docs, order_id))


@router.get(
    "/v1/admin/services/documents/reconciliation",
    response_model=DocumentsReconciliation,
    tags=["admin"],
)
async def reconciliation(_: Staff, docs: DocumentsDep) -> DocumentsReconciliation:
    """Renders parked after their last attempt: paid tickets without a PDF. Healthy: zero. Staff
    fix the cause and render again (``POST /v1/documents/orders/{order_id}/render``)."""
    parked = await reading.parked_renders(docs)
    return DocumentsReconciliation(parked_renders=len(parked), renders=[_out(j) for j in parked])


def _out(job: RenderJob) -> RenderStatusOut:
    return RenderStatusOut.model_validate(job, from_attributes=True)
