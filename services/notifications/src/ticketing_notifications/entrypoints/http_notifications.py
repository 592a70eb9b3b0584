"""Notifications for staff: what was sent for an order, and sending one again."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ticketing_notifications.adapters import notifications_repository as repo
from ticketing_notifications.entrypoints.deps import NotificationsDep
from ticketing_runtime.audit import record_action
from ticketing_runtime.fields import PathId, QueryId
from ticketing_runtime.identity import Identity, require_roles, require_service
from ticketing_runtime.ids import new_id
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])
internal = APIRouter(tags=["internal"])
Staff = Annotated[Identity, Depends(require_roles("staff"))]
OrdersService = Annotated[Identity, Depends(require_service("orders"))]


class NotificationOut(BaseModel):
    notification_id: str
    template: str
    order_id: str
    status: str  # pending, sent, or parked (gave up: see last_error)
    recipient: str | None
    attempts: int
    last_error: str | None
    smtp_message_id: str | None
    created_at: datetime
    sent_at: datetime | None


def _out(row: dict[str, Any]) -> NotificationOut:
    return NotificationOut.model_validate(row)


@internal.get("/internal/orders/{order_id}/notifications", response_model=list[NotificationOut])
async def of_order_for_orders(
    order_id: str, _: OrdersService, notes: NotificationsDep
) -> list[NotificationOut]:
    """The order's e-mails, for the orders service's staff view of an order."""
    async with notes.database.unit_of_work() as uow:
        return [_out(r) for r in await repo.of_order(uow.session, order_id)]


@router.get("", response_model=list[NotificationOut])
async def of_order(order_id: QueryId, _: Staff, notes: NotificationsDep) -> list[NotificationOut]:
    async with notes.database.unit_of_work() as uow:
        return [_out(r) for r in await repo.of_order(uow.session, order_id)]


@router.post("/{notification_id}/resend", status_code=202, response_model=NotificationOut)
async def resend(notification_id: PathId, staff: Staff, notes: NotificationsDep) -> NotificationOut:
    """Send that e-mail again, as a new notification (the original stays on record)."""
    async with notes.database.unit_of_work() as uow:
        original = await repo.get(uow.session, notification_id)
        if original is None:
            raise Problem(404, "notification-not-found", f"no notification {notification_id!r}")
        key = f"resend:{new_id('rs')}:{original['key']}"
        await repo.owe(
            uow.session,
            key=key,
            template=original["template"],
            order_id=original["order_id"],
            facts=original["facts"],
        )
        again = [
            r for r in await repo.of_order(uow.session, original["order_id"]) if r["key"] == key
        ]
        await record_action(
            uow,
            staff,
            "notifications.email.resent",
            order_id=original["order_id"],
            target=("notification", notification_id),
            details={"template": original["template"], "new": again[0]["notification_id"]},
        )
        await uow.commit()
    return _out(again[0])
