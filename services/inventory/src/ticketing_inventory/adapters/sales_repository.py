"""Sales and pinned holds in Postgres: the truth that Redis caches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts.events import IssuedTicket
from ticketing_inventory.adapters.tables import pinned_holds, sales, tiers
from ticketing_inventory.domain.holds import Hold, HoldLine, HoldStatus


async def record_sale(
    session: AsyncSession,
    *,
    order_id: str,
    hold_id: str,
    performance_id: str,
    tickets: Sequence[IssuedTicket],
) -> None:
    """One live sale per ticket, and the tiers' sold counts; constraints refuse an oversell."""
    await session.execute(
        insert(sales),
        [
            {
                "ticket_id": t.ticket_id,
                "order_id": order_id,
                "hold_id": hold_id,
                "performance_id": performance_id,
                "tier_id": t.tier_id,
                "seat_id": t.seat_id,
            }
            for t in tickets
        ],
    )
    for tier_id, count in Counter(t.tier_id for t in tickets).items():
        await session.execute(
            update(tiers).where(tiers.c.tier_id == tier_id).values(sold=tiers.c.sold + count)
        )


def _stock_lock_key(performance_id: str) -> Any:
    return func.hashtextextended(f"inventory.stock:{performance_id}", 0)


async def share_stock_lock(session: AsyncSession, performance_id: str) -> None:
    """Taken by a sale, a return or a release, which change Redis before their transaction
    commits, and held to that commit: a load of the stock waits for them, and they for it."""
    await session.execute(
        select(func.pg_advisory_xact_lock_shared(_stock_lock_key(performance_id)))
    )


async def take_stock_lock(session: AsyncSession, performance_id: str) -> None:
    """Taken by a load of the stock into Redis: it reads Postgres only once no sale is half
    done (decided in Redis, not committed), and none starts until the load is written."""
    await session.execute(select(func.pg_advisory_xact_lock(_stock_lock_key(performance_id))))


async def order_sold(session: AsyncSession, order_id: str) -> bool:
    """Whether this order's sale is already recorded (an order paid twice sells once).

    Takes a transaction-scoped lock on the order first: two deliveries of one order handled at
    the same time wait for each other, so the second sees the first one's sale.
    """
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(order_id))))
    found = await session.execute(
        select(sales.c.ticket_id).where(sales.c.order_id == order_id).limit(1)
    )
    return found.first() is not None


async def any_recorded(session: AsyncSession, ticket_ids: Sequence[str]) -> bool:
    """Whether a sale of any of these tickets was ever recorded (live or returned)."""
    query = select(sales.c.ticket_id).where(sales.c.ticket_id.in_(ticket_ids)).limit(1)
    return (await session.execute(query)).first() is not None


async def return_tickets(session: AsyncSession, ticket_ids: Sequence[str]) -> list[HoldLine]:
    """Mark live sales of these tickets returned; the capacity they free, per tier."""
    returned = (
        await session.execute(
            update(sales)
            .where(sales.c.ticket_id.in_(ticket_ids), sales.c.status == "live")
            .values(status="returned")
            .returning(sales.c.tier_id, sales.c.seat_id)
        )
    ).all()
    by_tier: dict[str, list[str | None]] = {}
    for row in returned:
        by_tier.setdefault(row.tier_id, []).append(row.seat_id)
    for tier_id, seats in by_tier.items():
        await session.execute(
            update(tiers).where(tiers.c.tier_id == tier_id).values(sold=tiers.c.sold - len(seats))
        )
    return [
        HoldLine(tier_id, len(seats), tuple(s for s in seats if s is not None))
        for tier_id, seats in by_tier.items()
    ]


async def pin(session: AsyncSession, hold: Hold, until: datetime) -> None:
    await session.execute(
        insert(pinned_holds)
        .values(
            hold_id=hold.hold_id,
            order_id=hold.order_id,
            performance_id=hold.performance_id,
            session_id=hold.session_id,
            lines=[{**asdict(line), "seat_ids": list(line.seat_ids)} for line in hold.lines],
            pinned_until=until,
        )
        .on_conflict_do_update(
            # as Redis keeps it (pin.lua): pinned again, the later of the two deadlines
            index_elements=[pinned_holds.c.hold_id],
            set_={"pinned_until": func.greatest(pinned_holds.c.pinned_until, until)},
        )
    )


async def set_pin_status(session: AsyncSession, hold_id: str, status: str) -> None:
    await session.execute(
        update(pinned_holds).where(pinned_holds.c.hold_id == hold_id).values(status=status)
    )


async def pinned(session: AsyncSession, hold_id: str) -> dict[str, Any] | None:
    row = (
        await session.execute(select(pinned_holds).where(pinned_holds.c.hold_id == hold_id))
    ).first()
    return dict(row._mapping) if row else None


def hold_of(row: dict[str, Any]) -> Hold:
    """A pinned hold as the hold store knows it, from its durable copy."""
    return Hold(
        hold_id=row["hold_id"],
        performance_id=row["performance_id"],
        session_id=row["session_id"],
        lines=tuple(
            HoldLine(line["tier_id"], line["quantity"], tuple(line["seat_ids"]))
            for line in row["lines"]
        ),
        expires_at=row["pinned_until"],
        status=HoldStatus.PINNED,
        order_id=row["order_id"],
    )


async def live_pins(session: AsyncSession, performance_id: str, now: datetime) -> list[Hold]:
    rows = (
        await session.execute(
            select(pinned_holds).where(
                pinned_holds.c.performance_id == performance_id,
                pinned_holds.c.status == "pinned",
                pinned_holds.c.pinned_until > now,
            )
        )
    ).all()
    return [hold_of(dict(r._mapping)) for r in rows]


async def sold_per_tier(session: AsyncSession, performance_id: str) -> dict[str, int]:
    rows = (
        await session.execute(
            select(sales.c.tier_id, func.count())
            .where(sales.c.performance_id == performance_id, sales.c.status == "live")
            .group_by(sales.c.tier_id)
        )
    ).all()
    return {tier_id: int(count) for tier_id, count in rows}
