"""What the door needs beyond one scan: revocation lists, offline scans, tickets by number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.orders_repository import ticket_of
from ticketing_orders.adapters.tables import (
    cancelled_performances,
    offline_scans,
    ticket_revocations,
    tickets,
)
from ticketing_orders.domain.model import Ticket

Row = dict[str, Any]


async def mark_cancelled(session: AsyncSession, performance_id: str) -> None:
    """The performance will not happen (a redelivery finds it marked already)."""
    await session.execute(
        pg_insert(cancelled_performances)
        .values(performance_id=performance_id)
        .on_conflict_do_nothing(index_elements=["performance_id"])
    )


async def is_cancelled(session: AsyncSession, performance_id: str) -> bool:
    query = select(cancelled_performances.c.performance_id).where(
        cancelled_performances.c.performance_id == performance_id
    )
    return (await session.execute(query)).first() is not None


async def revoke(
    session: AsyncSession, performance_id: str, ticket_ids: Sequence[str], reason: str
) -> None:
    """Append the tickets to the performance's revocation list. The lock (held to commit)
    makes ``seq`` grow in commit order: a scanner reading ``seq > cursor`` never skips one."""
    if not ticket_ids:
        return
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"ticket_revocations:{performance_id}"},
    )
    last = await session.execute(
        select(func.coalesce(func.max(ticket_revocations.c.seq), 0)).where(
            ticket_revocations.c.performance_id == performance_id
        )
    )
    start = int(last.scalar_one())
    await session.execute(
        insert(ticket_revocations),
        [
            {"performance_id": performance_id, "seq": start + n, "ticket_id": t, "reason": reason}
            for n, t in enumerate(ticket_ids, start=1)
        ],
    )


async def revocations_since(
    session: AsyncSession, performance_id: str, after: int, limit: int
) -> tuple[list[Row], bool]:
    query = (
        select(ticket_revocations)
        .where(
            ticket_revocations.c.performance_id == performance_id,
            ticket_revocations.c.seq > after,
        )
        .order_by(ticket_revocations.c.seq)
        .limit(limit + 1)
    )
    rows = [dict(r._mapping) for r in (await session.execute(query)).all()]
    return rows[:limit], len(rows) > limit


#: how far back each read of the admissions feed looks again before the last one's end: a
#: check-in committing while that read ran (recorded at its own start) is never missed
ADMISSIONS_OVERLAP = timedelta(seconds=30)


async def admitted_since(
    session: AsyncSession, performance_id: str, since: datetime | None
) -> tuple[list[Row], list[Row], datetime]:
    """The performance's tickets in use, recorded since ``since`` (None: all); those whose
    check-in staff undid since (none without ``since``: a door that knows nothing forgets
    nothing); and where the next read begins (``ADMISSIONS_OVERLAP`` before now: some tickets
    come twice, none never)."""
    now = (await session.execute(select(func.now()))).scalar_one()
    changed = select(
        tickets.c.ticket_id, tickets.c.status, tickets.c.used_at, tickets.c.used_recorded_at
    ).where(
        tickets.c.performance_id == performance_id,
        tickets.c.used_recorded_at.isnot(None),
        tickets.c.status.in_(("used", "valid") if since is not None else ("used",)),
    )
    if since is not None:
        changed = changed.where(tickets.c.used_recorded_at > since)
    admitted: list[Row] = []
    reset: list[Row] = []
    for row in (await session.execute(changed)).all():
        if row.status == "used":
            admitted.append({"ticket_id": row.ticket_id, "used_at": row.used_at})
        else:
            reset.append({"ticket_id": row.ticket_id, "reset_at": row.used_recorded_at})
    return admitted, reset, now - ADMISSIONS_OVERLAP


async def ticket_by_number(session: AsyncSession, ticket_number: str) -> Ticket | None:
    query = select(tickets).where(tickets.c.ticket_number == ticket_number)
    found = (await session.execute(query)).first()
    return ticket_of(found) if found else None


async def used_by_request(
    session: AsyncSession, ticket_id: str, scanner: str, request_key: str, since: datetime
) -> bool:
    """Whether the ticket is used by the check-in ``scanner`` made with ``request_key`` at or
    after ``since``."""
    query = select(tickets.c.ticket_id).where(
        tickets.c.ticket_id == ticket_id,
        tickets.c.status == "used",
        tickets.c.used_by == scanner,
        tickets.c.used_request == request_key,
        tickets.c.used_at >= since,
    )
    return (await session.execute(query)).first() is not None


async def claim_nonce(session: AsyncSession, **fields: Any) -> bool:
    """Record an offline scan's nonce; ``False`` when it was uploaded before. A concurrent
    upload of the same nonce waits here for the first one's transaction to end."""
    done = await session.execute(
        pg_insert(offline_scans)
        .values(outcome="pending", detail="", **fields)
        .on_conflict_do_nothing(constraint="offline_scans_pkey")
        .returning(offline_scans.c.nonce)
    )
    return done.first() is not None


async def offline_scan(session: AsyncSession, device_id: str, nonce: str) -> Row | None:
    query = select(offline_scans).where(
        offline_scans.c.device_id == device_id, offline_scans.c.nonce == nonce
    )
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def settle_offline_scan(
    session: AsyncSession, device_id: str, nonce: str, **fields: Any
) -> None:
    await session.execute(
        update(offline_scans)
        .where(offline_scans.c.device_id == device_id, offline_scans.c.nonce == nonce)
        .values(**fields)
    )


async def admitted_offline_here(
    session: AsyncSession, device_id: str, ticket_id: str, other_than: str
) -> bool:
    """Whether an offline scan of ``device_id`` (another than nonce ``other_than``) admitted the
    ticket: its use was this device's offline admission, not its online check-in."""
    query = select(offline_scans.c.nonce).where(
        offline_scans.c.device_id == device_id,
        offline_scans.c.ticket_id == ticket_id,
        offline_scans.c.outcome == "ok",
        offline_scans.c.nonce != other_than,
    )
    return (await session.execute(query.limit(1))).first() is not None


async def reset_used(session: AsyncSession, ticket_id: str) -> tuple[Ticket, datetime] | None:
    """A used ticket valid again (a staff override), and when it had been used; ``None`` when
    it is not used."""
    previous = select(tickets.c.used_at).where(tickets.c.ticket_id == ticket_id).scalar_subquery()
    done = await session.execute(
        update(tickets)
        .where(tickets.c.ticket_id == ticket_id, tickets.c.status == "used")
        .values(
            status="valid",
            used_at=None,
            used_by=None,
            used_device=None,
            used_request=None,
            used_recorded_at=func.clock_timestamp(),  # the doors' feed tells them to forget it
        )
        .returning(*tickets.c, previous.label("was_used_at"))
    )
    found = done.first()
    return (ticket_of(found), found.was_used_at) if found else None
