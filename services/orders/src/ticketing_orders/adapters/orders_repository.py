"""Loads and saves the order aggregate (inside the caller's transaction).

``save`` writes only the columns the aggregate changed since it was loaded, so a writer that did
not lock the order (recording its intent) never undoes what another one wrote meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from ticketing_orders.adapters.tables import order_lines, orders, tickets
from ticketing_orders.domain.model import Order, OrderLine, PaymentStatus, Ticket, TicketStatus
from ticketing_orders.domain.order import OrderStatus

_COLUMNS = tuple(f.name for f in fields(Order) if f.name not in ("lines", "tickets"))
# written by their own statements (the lease, under the database's clock), never by ``save``
_NOT_SAVED = frozenset({"order_id", "placing_until", "access_token_digest", "created_at"})
_LOADED = "_loaded_columns"
_LINE_COLUMNS = tuple(f.name for f in fields(OrderLine))
_TICKET_COLUMNS = tuple(f.name for f in fields(Ticket))
# a new ticket's own columns; its use and ``issued_at`` come later, or from the database
_ISSUED_COLUMNS = tuple(c for c in _TICKET_COLUMNS if c != "status" and not c.startswith("used_"))


def _lease(lease_s: float) -> Any:
    return func.now() + timedelta(seconds=lease_s)


def _columns_of(order: Order) -> dict[str, Any]:
    return {name: getattr(order, name) for name in _COLUMNS}


def _remember(order: Order) -> Order:
    object.__setattr__(order, _LOADED, _columns_of(order))
    return order


def _order_of(row: Row[Any]) -> Order:
    values = {name: row._mapping[name] for name in _COLUMNS}
    values["status"] = OrderStatus(values["status"])
    values["payment_status"] = PaymentStatus(values["payment_status"])
    return Order(**values)


def _line_of(row: Row[Any]) -> OrderLine:
    return OrderLine(**{name: row._mapping[name] for name in _LINE_COLUMNS})


def ticket_of(row: Row[Any]) -> Ticket:
    values = {name: row._mapping[name] for name in _TICKET_COLUMNS}
    return Ticket(**{**values, "status": TicketStatus(values["status"])})


async def _loaded(session: AsyncSession, rows: Sequence[Row[Any]]) -> list[Order]:
    """The orders of ``rows`` with their lines and tickets (two queries for any number)."""
    found = [_order_of(row) for row in rows]
    if not found:
        return []
    by_id = {order.order_id: order for order in found}
    ids = list(by_id)
    lines = select(order_lines).where(order_lines.c.order_id.in_(ids)).order_by("line_no")
    for row in (await session.execute(lines)).all():
        by_id[row.order_id].lines.append(_line_of(row))
    issued = select(tickets).where(tickets.c.order_id.in_(ids)).order_by(tickets.c.ticket_number)
    for row in (await session.execute(issued)).all():
        by_id[row.order_id].tickets.append(ticket_of(row))
    return [_remember(order) for order in found]


async def _one(session: AsyncSession, where: ColumnElement[bool], lock: bool) -> Order | None:
    query = select(orders).where(where)
    if lock:
        query = query.with_for_update()
    loaded = await _loaded(session, (await session.execute(query)).all())
    return loaded[0] if loaded else None


async def claim(session: AsyncSession, order: Order, lease_s: float) -> bool:
    """Claim (session, Idempotency-Key) with a ``placing`` order; ``False`` if already claimed."""
    assert order.status is OrderStatus.PLACING
    values = {name: value for name, value in _columns_of(order).items() if value is not None}
    values.pop("created_at", None)
    done = await session.execute(
        pg_insert(orders)
        .values(**values, placing_until=_lease(lease_s))
        .on_conflict_do_nothing(constraint="one_order_per_idempotency_key")
        .returning(orders.c.order_id)
    )
    return done.first() is not None


async def save(session: AsyncSession, order: Order) -> None:
    """Write what changed: the order's columns, its lines once priced, its tickets once issued
    (a ticket's later changes are conditional updates of their own: ``mark_used``, ``void``)."""
    before: dict[str, Any] = getattr(order, _LOADED, {})
    now = _columns_of(order)
    changed = {k: v for k, v in now.items() if k not in _NOT_SAVED and before.get(k) != v}
    if changed:
        await session.execute(
            update(orders).where(orders.c.order_id == order.order_id).values(**changed)
        )
    if before.get("status") is OrderStatus.PLACING and order.is_priced:
        await session.execute(
            insert(order_lines),
            [
                {"order_id": order.order_id, "line_no": n, **_line_values(line)}
                for n, line in enumerate(order.lines)
            ],
        )
    if order.tickets and "paid_at" in changed and before.get("paid_at") is None:
        await session.execute(insert(tickets), [_ticket_values(t) for t in order.tickets])
    _remember(order)


def _line_values(line: OrderLine) -> dict[str, Any]:
    return {name: getattr(line, name) for name in _LINE_COLUMNS}


def _ticket_values(ticket: Ticket) -> dict[str, Any]:
    return {name: getattr(ticket, name) for name in _ISSUED_COLUMNS}


async def renew_lease(session: AsyncSession, order_id: str, lease_s: float) -> None:
    """Keep the placement leased until its answer is recorded (priced orders included: asking
    payments for the intent can take seconds, and a retry must not take it over meanwhile)."""
    await session.execute(
        update(orders)
        .where(orders.c.order_id == order_id, orders.c.placed_response.is_(None))
        .values(placing_until=_lease(lease_s))
    )


async def end_lease(session: AsyncSession, order_id: str) -> None:
    """The placement stopped without an answer: a retry of its key may take it over now."""
    await session.execute(
        update(orders)
        .where(orders.c.order_id == order_id, orders.c.placed_response.is_(None))
        .values(placing_until=func.now() - timedelta(seconds=1))
    )


async def take_over(
    session: AsyncSession, order_id: str, access_token_digest: str, lease_s: float
) -> Order | None:
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
    loaded = await _loaded(session, done.all())
    return loaded[0] if loaded else None


async def by_key(session: AsyncSession, session_id: str, key: str) -> Order | None:
    where = (orders.c.session_id == session_id) & (orders.c.idempotency_key == key)
    return await _one(session, where, lock=False)


async def get(session: AsyncSession, order_id: str, *, lock: bool = False) -> Order | None:
    return await _one(session, orders.c.order_id == order_id, lock)


async def drop_claim(session: AsyncSession, order_id: str) -> None:
    await session.execute(
        delete(orders).where(
            orders.c.order_id == order_id, orders.c.status == OrderStatus.PLACING.value
        )
    )


async def ticket(session: AsyncSession, ticket_id: str) -> Ticket | None:
    found = (await session.execute(select(tickets).where(tickets.c.ticket_id == ticket_id))).first()
    return ticket_of(found) if found else None


async def mark_used(
    session: AsyncSession,
    ticket_id: str,
    scanner: str,
    *,
    device_id: str | None = None,
    at: datetime | None = None,
    request_key: str | None = None,
) -> datetime | None:
    """Use a valid ticket, atomically: of many concurrent scans exactly one gets a time back.
    An offline scan is dated ``at`` (when the device admitted it); the device is named when
    known (always for an offline scan); ``request_key``: the check-in's Idempotency-Key."""
    values: dict[str, Any] = {
        "status": TicketStatus.USED.value,
        "used_by": scanner,
        "used_request": request_key,
    }
    values["used_at"] = func.now() if at is None else at
    values["used_recorded_at"] = func.clock_timestamp()  # what the doors' feed orders by
    if at is not None or device_id is not None:
        values["used_device"] = device_id
    done = await session.execute(
        update(tickets)
        .where(tickets.c.ticket_id == ticket_id, tickets.c.status == TicketStatus.VALID.value)
        .values(**values)
        .returning(tickets.c.used_at)
    )
    found = done.first()
    return found[0] if found else None


async def void_tickets(session: AsyncSession, ticket_ids: Sequence[str]) -> int:
    """Mark valid tickets refunded; returns how many were (a ticket scanned meanwhile is not)."""
    done = await session.execute(
        update(tickets)
        .where(
            tickets.c.ticket_id.in_(list(ticket_ids)),
            tickets.c.status == TicketStatus.VALID.value,
        )
        .values(status=TicketStatus.REFUNDED.value)
        .returning(tickets.c.ticket_id)
    )
    return len(done.all())


async def due_to_expire(session: AsyncSession, now: datetime, limit: int) -> list[Order]:
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
    return await _loaded(session, (await session.execute(query)).all())


async def of_performance(
    session: AsyncSession, performance_id: str, statuses: Sequence[OrderStatus]
) -> list[Order]:
    """The performance's orders in one of ``statuses``, locked (oldest first)."""
    query = (
        select(orders)
        .where(
            orders.c.performance_id == performance_id,
            orders.c.status.in_([status.value for status in statuses]),
        )
        .order_by(orders.c.created_at)
        .with_for_update()
    )
    return await _loaded(session, (await session.execute(query)).all())


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


async def ids_of_address(
    session: AsyncSession, email: str, statuses: Sequence[OrderStatus], most: int
) -> list[str]:
    """The ids of the orders bought with ``email`` (lower case) in one of ``statuses``, newest
    first (served by the ``orders_by_email`` index)."""
    query = (
        select(orders.c.order_id)
        .where(
            func.lower(orders.c.customer_email) == email,
            orders.c.status.in_([status.value for status in statuses]),
        )
        .order_by(orders.c.created_at.desc())
        .limit(most)
    )
    return list((await session.execute(query)).scalars().all())


async def keeping_personal_data(
    session: AsyncSession, started_before: datetime, limit: int
) -> list[str]:
    """Orders no longer being bought whose performance began before ``started_before`` and whose
    customer is still on record, the earliest first (the retention loop's work), locked (another
    replica's loop skips them)."""
    query = (
        select(orders.c.order_id)
        .where(
            orders.c.erased_at.is_(None),
            orders.c.starts_at < started_before,
            orders.c.status.notin_([OrderStatus.PLACING.value, OrderStatus.PENDING_PAYMENT.value]),
        )
        .order_by(orders.c.starts_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars().all())
