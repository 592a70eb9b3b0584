"""The staff audit log, for admins: newest first, by order or by staff member."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ticketing_gateway.entrypoints.http import Admin, GatewayDep
from ticketing_gateway.service_layer import audit_log
from ticketing_runtime.fields import OptionalQueryId
from ticketing_runtime.pagination import MAX_LIMIT

router = APIRouter(prefix="/v1/admin/audit", tags=["admin"])
Id = Annotated[str | None, Query(min_length=1, max_length=200)]


class AuditEntryOut(BaseModel):
    audit_id: str
    service: str
    action: str
    actor: str = Field(description="the staff member who did it")
    actor_roles: list[str]
    occurred_at: datetime
    request_id: str | None
    correlation_id: str | None
    order_id: str | None
    target_type: str | None
    target_id: str | None
    details: dict[str, Any]


class AuditPage(BaseModel):
    """Newest first, as Stripe pages: pass the last ``audit_id`` as ``starting_after``."""

    data: list[AuditEntryOut]
    has_more: bool


@router.get("", response_model=AuditPage)
async def audit(
    gateway: GatewayDep,
    _: Admin,
    order_id: OptionalQueryId = None,
    actor: Id = None,
    action: Id = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    starting_after: Id = None,
) -> AuditPage:
    query = audit_log.AuditQuery(order_id, actor, action, limit, starting_after)
    page = await audit_log.read(gateway.database, query)
    return AuditPage(
        data=[AuditEntryOut.model_validate(r) for r in page.entries], has_more=page.has_more
    )
