"""Reads and writes of the orders schema (inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.tables import order_lines, orders, tickets
from ticketing_orders.domain.order import OrderStatus

Row = dict[str, Any]


def _lease(lease_s: float) -> Any:
    return func.now() + timedelta(seconds=lease_s)


async def claim(session: AsyncSession, lease_s: float, **fields: Any) -> bool:
    """Claim (session, Idempotency-Key) with a ``placing`` order; ``False`` if already claimed."""
    done = await session.execute(
        pg_insert(orders)
        .values(status=OrderStatus.PLACING.value, placing_until=_lease(lease_s), **fields)
        .on_conflict_do_nothing(constraint="one_order_per_idempotency_key")
        .returning(orders.c.order_id)
    )
    return done.first() is not None


async def renew_lease(session: AsyncSession, order_id: str, lease_s: float) -> None:
    """Keep the placement leased until its answer is recorded (priced orders included: asking
    payments for the intent can take seconds, and a retry must not take it over meanwhile)."""
    await session.execute(
        update(orders)
        .where(orders.c.order_id == order_id, orders.c.placed_response.is_(None))
        .values(placing_until=_lease(lease_s))
    )


async def take_over(
    session: AsyncSession, order_id: str, access_token_digest: str, lease_s: float
) -> Row | None:
    """The order whose placement's lease ran out before it answered (its process died), now
    leased to the caller with a new access token; ``None`` when it is not (answered, or another
    request has it)."""
    done = await session.execute(
        update(orders)
        .where(
            orders.c.order_id == order_id,
            orders.c.placed_response.is_(None),
            func.coalesce(orders.c.placing_until, orders.c.created_at) < func.now(),
        )
        .values(access_token_digest=access_token_digest, placing_until=_lease(lease_s))
        .returning(*orders.c)
    )
    found = done.first()
    return dict(found._mapping) if found else None


async def by_key(session: AsyncSession, session_id: str, key: str) -> Row | None:
    query = select(orders).where(orders.c.session_id == session_id, orders.c.idempotency_key == key)
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def get(session: AsyncSession, order_id: str, *, lock: bool = False) -> Row | None:
    query = select(orders).where(orders.c.order_id == order_id)
    if lock:
        query = query.with_for_update()
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def drop_claim(session: AsyncSession, order_id: str) -> None:
    await session.execute(
        delete(orders).where(
            orders.c.order_id == order_id, orders.c.status == OrderStatus.PLACING.value
        )
    )


async def update_order(session: AsyncSession, order_id: str, **fields: Any) -> None:
    await session.execute(update(orders).where(orders.c.order_id == order_id).values(**fields))


async def add_lines(session: AsyncSession, order_id: str, lines: Sequence[Row]) -> None:
    await session.execute(
        insert(order_lines),
        [{"order_id": order_id, "line_no": n, **line} for n, line in enumerate(lines)],
    )


async def lines_of(session: AsyncSession, order_id: str) -> list[Row]:
    query = select(order_lines).where(order_lines.c.order_id == order_id).order_by("line_no")
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def add_tickets(session: AsyncSession, issued: Sequence[Row]) -> None:
    await session.execute(insert(tickets), list(issued))


async def tickets_of(session: AsyncSession, order_id: str) -> list[Row]:
    query = select(tickets).where(tickets.c.order_id == order_id).order_by(tickets.c.ticket_number)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def ticket(session: AsyncSession, ticket_id: str) -> Row | None:
    found = (await session.execute(select(tickets).where(tickets.c.ticket_id == ticket_id))).first()
    return dict(found._mapping) if found else None


async def mark_used(session: AsyncSession, ticket_id: str, scanner: str) -> datetime | None:
    """Use a valid ticket, atomically: of many concurrent scans exactly one gets a time back."""
    done = await session.execute(
        update(tickets)
        .where(tickets.c.ticket_id == ticket_id, tickets.c.status == "valid")
        .values(status="used", used_at=func.now(), used_by=scanner)
        .returning(tickets.c.used_at)
    )
    found = done.first()
    return found[0] if found else None


async def void_tickets(session: AsyncSession, ticket_ids: Sequence[str]) -> int:
    """Mark valid tickets refunded; returns how many were (a ticket scanned meanwhile is not)."""
    done = await session.execute(
        update(tickets)
        .where(tickets.c.ticket_id.in_(list(ticket_ids)), tickets.c.status == "valid")
        .values(status="refunded")
        .returning(tickets.c.ticket_id)
    )
    return len(done.all())


async def due_to_expire(session: AsyncSession, now: datetime, limit: int) -> list[Row]:
    query = (
        select(orders)
        .where(
            orders.c.status == OrderStatus.PENDING_PAYMENT.value,
            orders.c.payment_deadline < now,
        )
        .order_by(orders.c.payment_deadline)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def abandoned_claims(session: AsyncSession, before: datetime, limit: int) -> list[str]:
    """Orders still ``placing`` since ``before``: the process placing them died. Locked."""
    query = (
        select(orders.c.order_id)
        .where(
            orders.c.status == OrderStatus.PLACING.value,
            orders.c.created_at < before,
            func.coalesce(orders.c.placing_until, orders.c.created_at) < func.now(),
        )
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


async def database_now(session: AsyncSession) -> datetime:
    """The database's clock (leases are set and compared by it, never by ours)."""
    now: datetime = (await session.execute(select(func.now()))).scalar_one()
    return now


async def live_order_of_hold(session: AsyncSession, hold_id: str, session_id: str) -> bool:
    """Whether the customer session ``session_id`` has a live order from ``hold_id``."""
    query = select(orders.c.order_id).where(
        orders.c.hold_id == hold_id,
        orders.c.session_id == session_id,
        orders.c.status.in_(
            [OrderStatus.PLACING.value, OrderStatus.PENDING_PAYMENT.value, OrderStatus.PAID.value]
        ),
    )
    return (await session.execute(query)).first() is not None
