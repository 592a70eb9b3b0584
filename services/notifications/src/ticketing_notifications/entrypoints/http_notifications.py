"""Notifications for staff: what was sent for an order, sending one again, and the e-mails
parked after their last attempt (the reconciliation report), sent again together."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ticketing_notifications.domain.notification import Notification
from ticketing_notifications.entrypoints.dependencies import NotificationsDep
from ticketing_notifications.service_layer import reading
from ticketing_notifications.service_layer.owing import (
    ResendEmail,
    ResendParked,
    resend_email,
    resend_parked,
)
from ticketing_runtime.fields import PathId, QueryId
from ticketing_runtime.identity import Identity, require_roles, require_service

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])
internal = APIRouter(tags=["internal"])
admin = APIRouter(prefix="/v1/admin/services/notifications", tags=["admin"])
Staff = Annotated[Identity, Depends(require_roles("staff"))]
Admin = Annotated[Identity, Depends(require_roles("admin"))]
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


class NotificationsReconciliation(BaseModel):
    parked_emails: int  # healthy: zero
    emails: list[NotificationOut]  # the newest REPORTED of them


class ParkedResent(BaseModel):
    resent: int


REPORTED = 500


def _out(note: Notification) -> NotificationOut:
    return NotificationOut.model_validate(note, from_attributes=True)


@internal.get("/internal/orders/{order_id}/notifications", response_model=list[NotificationOut])
async def of_order_for_orders(
    order_id: PathId, _: OrdersService, notes: NotificationsDep
) -> list[NotificationOut]:
    """The order's e-mails, for the orders service's staff view of an order."""
    return [_out(n) for n in await reading.of_order(notes, order_id)]


@router.get("", response_model=list[NotificationOut])
async def of_order(order_id: QueryId, _: Staff, notes: NotificationsDep) -> list[NotificationOut]:
    return [_out(n) for n in await reading.of_order(notes, order_id)]


@router.post("/{notification_id}/resend", status_code=202, response_model=NotificationOut)
async def resend(notification_id: PathId, staff: Staff, notes: NotificationsDep) -> NotificationOut:
    """Send that e-mail again, as a new notification (the original stays on record)."""
    async with notes.database.unit_of_work() as uow:
        again = await resend_email(uow, ResendEmail(notification_id, staff))
    return _out(again)


@admin.get("/reconciliation", response_model=NotificationsReconciliation)
async def reconciliation(_: Staff, notes: NotificationsDep) -> NotificationsReconciliation:
    """E-mails parked after their last attempt and not sent again since (another e-mail of the
    same kind answers nothing): customers who were never told. Healthy: zero. Fix the cause
    (the SMTP server, an address), then send them again (``POST …/parked/resend``)."""
    count, parked = await reading.parked(notes, REPORTED)
    return NotificationsReconciliation(parked_emails=count, emails=[_out(n) for n in parked])


@admin.post("/parked/resend", status_code=202, response_model=ParkedResent)
async def resend_all_parked(staff: Admin, notes: NotificationsDep) -> ParkedResent:
    """Send every parked e-mail of the report again (up to 1,000 a call; call again for more),
    each as a new notification; audited once with their ids. Admins only, as the console's
    Reconciliation screen that has the button (a clerk resends one e-mail from its order)."""
    async with notes.database.unit_of_work() as uow:
        return ParkedResent(resent=await resend_parked(uow, ResendParked(staff)))
