"""The staff audit log: every service's staff actions recorded once, read newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from ticketing_contracts import AuditActionRecordedV1
from ticketing_gateway.adapters.tables import audit_log
from ticketing_gateway.domain.errors import Invalid
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.pagination import keyset_page


@dataclass(frozen=True)
class AuditQuery:
    """Entries matching every filter given, newest first, ``limit`` of them after the entry
    ``starting_after`` (the last one of the previous page)."""

    order_id: str | None = None
    actor: str | None = None
    action: str | None = None
    limit: int = 20
    starting_after: str | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[dict[str, Any]]  # audit_log rows, as views
    has_more: bool


async def record(uow: UnitOfWork, entry: AuditActionRecordedV1, correlation_id: str | None) -> None:
    """Keep one staff action (a redelivered one changes nothing)."""
    await uow.session.execute(
        insert(audit_log)
        .values(**entry.model_dump(mode="python"), correlation_id=correlation_id)
        .on_conflict_do_nothing()
    )


#: staff actions whose details quote a customer (what their name and address were)
QUOTING_CUSTOMERS = ("orders.customer.corrected",)


async def forget_customer(uow: UnitOfWork, order_id: str) -> None:
    """The order's customer was erased: the entries that quoted them keep who did what and
    when, without the name and address (a redelivery finds nothing more to forget)."""
    await uow.session.execute(
        update(audit_log)
        .where(audit_log.c.order_id == order_id, audit_log.c.action.in_(QUOTING_CUSTOMERS))
        .values(details={"customer": "(erased)"})
    )


async def read(database: Database, query: AuditQuery) -> AuditPage:
    selected = select(audit_log)
    for column, wanted in (
        (audit_log.c.order_id, query.order_id),
        (audit_log.c.actor, query.actor),
        (audit_log.c.action, query.action),
    ):
        if wanted is not None:
            selected = selected.where(column == wanted)
    key = (audit_log.c.occurred_at, audit_log.c.audit_id)
    async with database.unit_of_work() as uow:
        after = None
        if query.starting_after is not None:
            found = await uow.session.execute(
                select(*key).where(audit_log.c.audit_id == query.starting_after)
            )
            cursor = found.first()
            if cursor is None:
                raise Invalid(
                    "unknown-cursor", f"starting_after: no audit entry {query.starting_after!r}"
                )
            after = tuple(cursor)
        rows, has_more = await keyset_page(
            uow.session, selected, key, after, query.limit, descending=True
        )
    return AuditPage(entries=rows, has_more=has_more)
