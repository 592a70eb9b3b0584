"""The inbox: a consumer applies each message once, whatever the redeliveries."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_runtime.database import transaction_connection
from ticketing_runtime.outbox import inbox

_CLAIM = (
    "INSERT INTO inbox (message_id, consumer, event_type) VALUES ($1, $2, $3)"
    " ON CONFLICT DO NOTHING"
)


async def claim_message(
    session: AsyncSession, *, message_id: str, consumer: str, event_type: str
) -> bool:
    """Record the message in this transaction; False when it was applied before.

    One prepared statement on the transaction's own asyncpg connection; its status (``INSERT 0
    1`` or ``INSERT 0 0``) says whether the row is new, so no row needs to come back."""
    connection = await transaction_connection(session)
    status = await connection.execute(_CLAIM, message_id, consumer, event_type)
    return bool(status == "INSERT 0 1")


async def prune_inbox(session: AsyncSession, retention: timedelta) -> int:
    result = await session.execute(
        delete(inbox).where(inbox.c.received_at < func.now() - retention)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
