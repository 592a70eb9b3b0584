"""What payments asks Stripe about again (the longest unasked first), and what the
reconciliation report reads: Stripe events that did not count."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Select, Table, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

Row = dict[str, Any]

# a refund event counts when it is one we asked for: its Stripe id is recorded, or it names a
# refund of ours still being asked for (its id is recorded when Stripe's answer is committed);
# an event about a charge (charge.refunded) is checked by its intent when it arrives
_UNMATCHED_REFUNDS = """
SELECT e.event_id, e.type, e.received_at, e.payload -> 'data' -> 'object' AS object
FROM stripe_events e
WHERE (e.type LIKE 'refund.%' OR e.type LIKE 'charge.refund%')
  AND e.payload -> 'data' -> 'object' ->> 'object' = 'refund'
  AND e.mismatch IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM payment_refunds r
    WHERE r.stripe_refund_id = e.payload -> 'data' -> 'object' ->> 'id'
       OR (r.refund_id = e.payload -> 'data' -> 'object' -> 'metadata' ->> 'refund_id'
           AND r.status = 'pending')
  )
ORDER BY e.received_at DESC
LIMIT 500
"""

_MISMATCHED = """
SELECT e.event_id, e.type, e.received_at, e.mismatch, e.payload -> 'data' -> 'object' AS object
FROM stripe_events e
WHERE e.mismatch IS NOT NULL
ORDER BY e.received_at DESC
LIMIT 500
"""


async def mismatched_events(session: AsyncSession) -> list[Row]:
    """Verified events refused by the settlement check (``stripe_events.mismatch``)."""
    return [dict(r._mapping) for r in (await session.execute(text(_MISMATCHED))).all()]


async def unmatched_refund_events(session: AsyncSession) -> list[Row]:
    """Refund events about refunds payments never asked for."""
    return [dict(r._mapping) for r in (await session.execute(text(_UNMATCHED_REFUNDS))).all()]


def longest_unasked(
    table: Table, wanted: ColumnElement[bool], before: datetime, limit: int
) -> Select[Any]:
    """The rows of ``table`` matching ``wanted``, unchanged and not asked about since
    ``before``: the longest unasked first, so every one gets its turn."""
    last_looked = func.coalesce(table.c.reconciled_at, table.c.updated_at)
    return select(table).where(wanted, last_looked < before).order_by(last_looked).limit(limit)


async def mark_reconciled(
    session: AsyncSession, key: Column[Any], value: str, before: datetime
) -> bool:
    """Stripe is asked about the row whose ``key`` is ``value`` now (it waits its turn again):
    whether this caller took that turn. Another replica that read the same stale row took it
    first when its mark is newer than ``before``: it asks Stripe, this one does not."""
    table = key.table
    last_looked = func.coalesce(table.c.reconciled_at, table.c.updated_at)
    marked = update(table).where(key == value, last_looked < before)
    taken = await session.execute(marked.values(reconciled_at=func.now()).returning(key))
    return taken.first() is not None
