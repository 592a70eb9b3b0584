"""The inbox: a consumer applies each message once, whatever the redeliveries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_runtime.outbox import inbox


async def claim_message(
    session: AsyncSession, *, message_id: str, consumer: str, event_type: str
) -> bool:
    """Record the message in this transaction; False when it was applied before."""
    result = await session.execute(
        insert(inbox)
        .values(message_id=message_id, consumer=consumer, event_type=event_type)
        .on_conflict_do_nothing()
        .returning(inbox.c.message_id)
    )
    return result.first() is not None


async def prune_inbox(session: AsyncSession, retention: timedelta) -> int:
    result = await session.execute(
        delete(inbox).where(inbox.c.received_at < func.now() - retention)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
