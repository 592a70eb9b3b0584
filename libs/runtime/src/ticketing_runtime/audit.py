"""Staff actions for the audit log: who did what, when, from which request.

A service records the action in the unit of work that does it (``audit.action.recorded.v1``
through its own outbox), so an action that rolls back leaves no entry and one that commits
always has one; the gateway keeps the log and serves it to admins.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import AuditActionRecordedV1
from ticketing_runtime.correlation import current_request_id
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.identity import Identity
from ticketing_runtime.ids import new_id


def audit_event(
    service: str,
    who: Identity,
    action: str,
    *,
    order_id: str | None = None,
    target: tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditActionRecordedV1:
    target_type, target_id = target if target is not None else (None, None)
    return AuditActionRecordedV1(
        audit_id=new_id("aud"),
        service=service,
        action=action,
        actor=who.subject,
        actor_roles=sorted(who.roles),
        occurred_at=datetime.now(UTC),
        request_id=current_request_id.get(),
        order_id=order_id,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
    )


async def record_action(
    uow: UnitOfWork,
    who: Identity,
    action: str,
    *,
    order_id: str | None = None,
    target: tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record ``action`` by ``who`` in ``uow``'s transaction (committed with the action)."""
    event = audit_event(uow.service, who, action, order_id=order_id, target=target, details=details)
    await uow.publish(event)
