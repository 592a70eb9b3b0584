"""The inbox: a consumer applies each message once, whatever the redeliveries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_runtime.database import begin_with, sql_literal
from ticketing_runtime.outbox import inbox

_CLAIM = (
    "INSERT INTO inbox (message_id, consumer, event_type) VALUES ($1, $2, $3)"
    " ON CONFLICT DO NOTHING"
)


async def claim_message(
    session: AsyncSession, *, message_id: str, consumer: str, event_type: str
) -> bool:
    """Record the message in this transaction; False when it was applied before.

    The unit of work's first statement: sent with its ``BEGIN`` in one round trip, on the
    transaction's own asyncpg connection; its status (``INSERT 0 1`` or ``INSERT 0 0``) says
    whether the row is new, so no row needs to come back."""
    values = ", ".join(sql_literal(v) for v in (message_id, consumer, event_type))
    literal = f"INSERT INTO inbox (message_id, consumer, event_type) VALUES ({values})"
    status = await begin_with(
        session, f"{literal} ON CONFLICT DO NOTHING", _CLAIM, message_id, consumer, event_type
    )
    return status == "INSERT 0 1"


async def prune_inbox(session: AsyncSession, retention: timedelta) -> int:
    result = await session.execute(
        delete(inbox).where(inbox.c.received_at < func.now() - retention)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
