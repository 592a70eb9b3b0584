"""Notifications (inside the caller's transaction)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, literal, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ticketing_notifications.adapters.tables import notifications
from ticketing_notifications.domain.notification import (
    ERASED,
    NOTHING_TO_FIX,
    Notification,
    NotificationStatus,
    Template,
)
from ticketing_runtime.backoff import Retry
from ticketing_runtime.due_work import (
    CrashGuard,
    aggregate_of,
    claim_due,
    record_retry,
    save_fields,
)
from ticketing_runtime.ids import new_id
from ticketing_runtime.rows import count_rows, insert_once, row_by_key


async def owe(
    session: AsyncSession, *, key: str, template: Template, order_id: str, facts: dict[str, Any]
) -> str | None:
    """Record an e-mail to send; its id, or ``None`` when this key was recorded before (a
    redelivery)."""
    notification_id = new_id("ntf")
    created = await insert_once(
        session,
        notifications,
        "key",
        notification_id=notification_id,
        key=key,
        template=template.value,
        order_id=order_id,
        facts=facts,
        status=NotificationStatus.PENDING.value,
    )
    return notification_id if created else None


#: an e-mail whose sending killed the worker three times running is parked, not sent for ever
#: (the service layer parks it: ``replace(crash_guard, park=…)``)
crash_guard: CrashGuard[Notification] = CrashGuard(
    notifications, "notification_id", lambda note: note.notification_id
)


async def due(session: AsyncSession, limit: int) -> list[Notification]:
    """Due e-mails, locked while they are sent (another replica skips them)."""
    return [_notification(row) for row in await claim_due(session, notifications, limit)]


async def save_sent(session: AsyncSession, note: Notification) -> None:
    sent = ("status", "recipient", "smtp_message_id", "attempts", "last_error")
    await save_fields(session, notifications, "notification_id", note, sent, sent_at=func.now())


async def save_postponed(session: AsyncSession, note: Notification, retry: Retry) -> None:
    error, key = note.last_error or "", note.notification_id
    await record_retry(session, notifications, "notification_id", key, retry, error)


async def save_parked(session: AsyncSession, note: Notification) -> None:
    parked = ("status", "attempts", "last_error")
    await save_fields(session, notifications, "notification_id", note, parked)


async def get(session: AsyncSession, notification_id: str) -> Notification | None:
    found = await row_by_key(session, notifications, "notification_id", notification_id)
    return _notification(found) if found else None


async def has_any(session: AsyncSession, order_id: str, template: Template) -> bool:
    """Whether an e-mail of ``template`` was ever owed for the order (sent, pending or parked)."""
    query = select(notifications.c.notification_id).where(
        notifications.c.order_id == order_id, notifications.c.template == template.value
    )
    return (await session.execute(query.limit(1))).first() is not None


def _parked_unanswered() -> ColumnElement[bool]:
    """Parked, and not sent again (a resend of it, ``resend:<id>:<its key>``, whatever became
    of it: a resend that was itself parked is listed in its place, or the next resend would
    send both): another e-mail of the same kind, such as a second refund's, answers nothing.
    Not a box-office sale's that had no address, nor one of a customer since erased (nothing
    to fix, nobody to send it to)."""
    later = aliased(notifications)
    answered = exists().where(
        later.c.order_id == notifications.c.order_id,
        later.c.key.startswith("resend:"),
        func.right(later.c.key, func.length(notifications.c.key) + 1)
        == literal(":") + notifications.c.key,
    )
    parked = notifications.c.status == NotificationStatus.PARKED.value
    nothing_to_fix = notifications.c.last_error.in_(NOTHING_TO_FIX)
    return parked & ~answered & ~func.coalesce(nothing_to_fix, False)


async def parked_count(session: AsyncSession) -> int:
    """How many e-mails are parked and were not sent again since."""
    return await count_rows(session, notifications, _parked_unanswered())


async def parked(session: AsyncSession, limit: int) -> tuple[int, list[Notification]]:
    """How many e-mails are parked and were not sent again since, and the newest ``limit``."""
    count = await parked_count(session)
    where = _parked_unanswered()
    query = (
        select(notifications)
        .where(where)
        .order_by(notifications.c.created_at.desc(), notifications.c.notification_id)
        .limit(limit)
    )
    rows = (await session.execute(query)).mappings()
    return count, [_notification(row) for row in rows]


async def of_order(session: AsyncSession, order_id: str) -> list[Notification]:
    query = (
        select(notifications)
        .where(notifications.c.order_id == order_id)
        .order_by(notifications.c.created_at)
    )
    return [_notification(row) for row in (await session.execute(query)).mappings()]


def _notification(row: RowMapping) -> Notification:
    return aggregate_of(
        Notification,
        row,
        template=Template(row["template"]),
        facts=dict(row["facts"]),
        status=NotificationStatus(row["status"]),
    )


async def forget_customer(session: AsyncSession, order_id: str) -> int:
    """The e-mails of the order (and the "find my tickets" e-mails that listed it) without the
    customer's address, in the recipient, the facts or an SMTP error that quoted it; how many.
    What was sent, when, and of which kind stays."""
    listed = notifications.c.facts["order_ids"].contains([order_id])
    forgotten = await session.execute(
        update(notifications)
        .where(or_(notifications.c.order_id == order_id, listed))
        .values(
            recipient=None,
            facts=notifications.c.facts.op("-")(literal("customer_email")),
            # an error may quote the address; a parked e-mail says why it stays parked
            last_error=case(
                (notifications.c.status == NotificationStatus.PARKED.value, ERASED),
                else_=None,
            ),
        )
    )
    return int(forgotten.rowcount or 0)  # type: ignore[attr-defined]
