"""Renders that failed for good, visible to staff (invariant 3: every issued ticket gets its PDF,
or sits visibly for staff): one order's render status for orders' staff view, and the documents
reconciliation report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ticketing_documents.adapters import documents_repository as repo
from ticketing_documents.entrypoints.deps import DocumentsDep
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, require_roles, require_service
from ticketing_runtime.problems import Problem

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
    async with docs.database.unit_of_work() as uow:
        job = await repo.job_of(uow.session, order_id)
    if job is None:
        raise Problem(404, "render-not-found", f"no render of order {order_id!r} was asked for")
    return _out(job)


@router.get(
    "/v1/admin/services/documents/reconciliation",
    response_model=DocumentsReconciliation,
    tags=["admin"],
)
async def reconciliation(_: Staff, docs: DocumentsDep) -> DocumentsReconciliation:
    """Renders parked after their last attempt: paid tickets without a PDF. Healthy: zero. Staff
    fix the cause and render again (``POST /v1/documents/orders/{order_id}/render``)."""
    async with docs.database.unit_of_work() as uow:
        parked = await repo.parked_jobs(uow.session)
    return DocumentsReconciliation(parked_renders=len(parked), renders=[_out(j) for j in parked])


def _out(job: dict[str, Any]) -> RenderStatusOut:
    return RenderStatusOut.model_validate(job)
