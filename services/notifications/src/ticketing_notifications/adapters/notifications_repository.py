"""Notifications (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_notifications.adapters.tables import notifications
from ticketing_runtime.ids import new_id

Row = dict[str, Any]


async def owe(
    session: AsyncSession, *, key: str, template: str, order_id: str, facts: dict[str, Any]
) -> bool:
    """Record an e-mail to send; ``False`` when this key was recorded before (a redelivery)."""
    done = await session.execute(
        insert(notifications)
        .values(
            notification_id=new_id("ntf"),
            key=key,
            template=template,
            order_id=order_id,
            facts=facts,
            status="pending",
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(notifications.c.notification_id)
    )
    return done.first() is not None


async def due(session: AsyncSession, limit: int) -> list[Row]:
    """Due e-mails, locked while they are sent (another replica skips them)."""
    query = (
        select(notifications)
        .where(notifications.c.status == "pending", notifications.c.next_attempt_at <= func.now())
        .order_by(notifications.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def mark_sent(
    session: AsyncSession, notification_id: str, recipient: str, message_id: str
) -> None:
    await session.execute(
        update(notifications)
        .where(notifications.c.notification_id == notification_id)
        .values(
            status="sent",
            recipient=recipient,
            smtp_message_id=message_id,
            sent_at=func.now(),
            attempts=notifications.c.attempts + 1,
            last_error=None,
        )
    )


async def postpone(
    session: AsyncSession, notification_id: str, error: str, until: datetime, park: bool
) -> None:
    await session.execute(
        update(notifications)
        .where(notifications.c.notification_id == notification_id)
        .values(
            attempts=notifications.c.attempts + 1,
            last_error=error,
            next_attempt_at=until,
            status="parked" if park else "pending",
        )
    )


async def get(session: AsyncSession, notification_id: str) -> Row | None:
    query = select(notifications).where(notifications.c.notification_id == notification_id)
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def of_order(session: AsyncSession, order_id: str) -> list[Row]:
    query = (
        select(notifications)
        .where(notifications.c.order_id == order_id)
        .order_by(notifications.c.created_at)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
