"""The audit log use cases in process against the real PostgreSQL: an action recorded once
however often it is delivered, read newest first by filter and page, an unknown cursor refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from ticketing_contracts import AuditActionRecordedV1
from ticketing_gateway.domain.errors import Invalid
from ticketing_gateway.service_layer import audit_log
from ticketing_runtime.audit import audit_event
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import Database


def action(actor: Identity, n: int, order_id: str) -> AuditActionRecordedV1:
    event = audit_event("orders", actor, "orders.refund.created", order_id=order_id)
    later = datetime.now(UTC) + timedelta(seconds=n)
    return event.model_copy(update={"occurred_at": later})


async def test_recorded_once_read_newest_first_in_pages(database: Database) -> None:
    actor = Identity(kind="staff", subject=f"staff:{uuid.uuid4().hex}", roles=frozenset({"admin"}))
    order_id = f"ord_{uuid.uuid4().hex}"
    actions = [action(actor, n, order_id) for n in range(3)]
    for entry in (*actions, actions[0]):  # the first delivered twice
        async with database.unit_of_work() as uow:
            await audit_log.record(uow, entry, correlation_id="corr-1")
            await uow.commit()
    first = await audit_log.read(database, audit_log.AuditQuery(actor=actor.subject, limit=2))
    assert [e["audit_id"] for e in first.entries] == [actions[2].audit_id, actions[1].audit_id]
    assert first.has_more
    assert first.entries[0]["correlation_id"] == "corr-1"
    after = first.entries[-1]["audit_id"]
    rest = await audit_log.read(
        database, audit_log.AuditQuery(order_id=order_id, limit=2, starting_after=after)
    )
    assert ([e["audit_id"] for e in rest.entries], rest.has_more) == ([actions[0].audit_id], False)
    with pytest.raises(Invalid) as unknown:
        await audit_log.read(database, audit_log.AuditQuery(starting_after="aud_nowhere"))
    assert unknown.value.code == "unknown-cursor"


def correction(actor: Identity, order_id: str) -> AuditActionRecordedV1:
    before = {"name": "Ada Lovelace", "email": "ada@example.com"}
    after = {"name": "Ada King", "email": "ada.king@example.com"}
    return audit_event(
        "orders",
        actor,
        "orders.customer.corrected",
        order_id=order_id,
        details={"before": before, "after": after},
    )


async def test_a_correction_that_comes_after_the_erasure_keeps_no_customer(
    database: Database,
) -> None:
    """The correction's event was retried and reached the log after the erasure's: it wrote
    the name and addresses back, for good (the erasure had found nothing to forget)."""
    actor = Identity(kind="staff", subject=f"staff:{uuid.uuid4().hex}", roles=frozenset({"staff"}))
    order_id = f"ord_{uuid.uuid4().hex}"
    async with database.unit_of_work() as uow:
        await audit_log.forget_customer(uow, order_id)
        await uow.commit()
    late = correction(actor, order_id)
    async with database.unit_of_work() as uow:
        await audit_log.record(uow, late, correlation_id=None)
        await uow.commit()
    [entry] = (await audit_log.read(database, audit_log.AuditQuery(order_id=order_id))).entries
    assert entry["details"] == {"customer": "(erased)"}
    assert (entry["actor"], entry["action"]) == (actor.subject, "orders.customer.corrected")

    kept = f"ord_{uuid.uuid4().hex}"  # another order's correction keeps what it says
    async with database.unit_of_work() as uow:
        await audit_log.record(uow, correction(actor, kept), correlation_id=None)
        await uow.commit()
    [other] = (await audit_log.read(database, audit_log.AuditQuery(order_id=kept))).entries
    assert other["details"]["after"]["name"] == "Ada King"
