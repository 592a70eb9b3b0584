"""The staff audit log: every service's staff actions recorded once, read newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from ticketing_contracts import AuditActionRecordedV1
from ticketing_gateway.adapters.tables import audit_log, erased_orders
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


#: staff actions whose details quote a customer (what their name and address were)
QUOTING_CUSTOMERS = ("orders.customer.corrected",)
ERASED = {"customer": "(erased)"}


async def record(uow: UnitOfWork, entry: AuditActionRecordedV1, correlation_id: str | None) -> None:
    """Keep one staff action (a redelivered one changes nothing); one that quotes a customer
    already erased is kept without them."""
    values = {**entry.model_dump(mode="python"), "correlation_id": correlation_id}
    if entry.action in QUOTING_CUSTOMERS and entry.order_id is not None:
        await _one_at_a_time(uow, entry.order_id)
        if await _erased(uow, entry.order_id):
            values["details"] = ERASED
    await uow.session.execute(insert(audit_log).values(**values).on_conflict_do_nothing())


async def forget_customer(uow: UnitOfWork, order_id: str) -> None:
    """The order's customer was erased: the entries that quoted them keep who did what and
    when, without the name and address, and so does one that comes later (the events come in
    no order; a redelivery finds nothing more to forget)."""
    await _one_at_a_time(uow, order_id)
    await uow.session.execute(
        insert(erased_orders).values(order_id=order_id).on_conflict_do_nothing()
    )
    await uow.session.execute(
        update(audit_log)
        .where(audit_log.c.order_id == order_id, audit_log.c.action.in_(QUOTING_CUSTOMERS))
        .values(details=ERASED)
    )


async def _one_at_a_time(uow: UnitOfWork, order_id: str) -> None:
    """An erasure and an action quoting the customer, in two consumers at once: the second
    waits for the first to commit, so it sees what the first wrote."""
    await uow.session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext("gateway.erasure:" + order_id)))
    )


async def _erased(uow: UnitOfWork, order_id: str) -> bool:
    found = await uow.session.execute(
        select(erased_orders.c.order_id).where(erased_orders.c.order_id == order_id)
    )
    return found.first() is not None


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
