"""The staff audit log, for admins: newest first, by order or by staff member."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from ticketing_gateway.adapters.tables import audit_log
from ticketing_runtime.database import Database
from ticketing_runtime.identity import Identity, require_roles
from ticketing_runtime.pagination import MAX_LIMIT, keyset_page
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/admin/audit", tags=["admin"])
Admin = Annotated[Identity, Depends(require_roles("admin"))]
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
    request: Request,
    _: Admin,
    order_id: Id = None,
    actor: Id = None,
    action: Id = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    starting_after: Id = None,
) -> AuditPage:
    database: Database = request.app.state.database
    query = select(audit_log)
    for column, wanted in (
        (audit_log.c.order_id, order_id),
        (audit_log.c.actor, actor),
        (audit_log.c.action, action),
    ):
        if wanted is not None:
            query = query.where(column == wanted)
    key = (audit_log.c.occurred_at, audit_log.c.audit_id)
    async with database.unit_of_work() as uow:
        after = None
        if starting_after is not None:
            found = await uow.session.execute(
                select(*key).where(audit_log.c.audit_id == starting_after)
            )
            cursor = found.first()
            if cursor is None:
                raise Problem(
                    422, "unknown-cursor", f"starting_after: no audit entry {starting_after!r}"
                )
            after = tuple(cursor)
        rows, has_more = await keyset_page(uow.session, query, key, after, limit, descending=True)
    return AuditPage(data=[AuditEntryOut.model_validate(r) for r in rows], has_more=has_more)
