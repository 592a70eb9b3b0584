"""Reading and writing the catalogue in the inventory schema."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import RowMapping, func, insert, literal, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_inventory.adapters.tables import (
    events,
    performance_seats,
    performances,
    sales,
    seats,
    sections,
    tiers,
    venues,
)
from ticketing_inventory.domain.catalogue import Event, EventStatus, Performance, SeatRow, Tier
from ticketing_inventory.domain.holds import PerformanceStock, SeatPlace, TierStock
from ticketing_inventory.domain.price_zones import PriceZone, VenueSeat, tiers_of_seats
from ticketing_runtime.ids import new_id
from ticketing_runtime.rows import row_by_key

Row = dict[str, Any]  # views (venues, sections, seats): shaped as the answers are
Aggregate = TypeVar("Aggregate", Event, Performance, Tier)


def _loaded(kind: type[Aggregate], row: RowMapping) -> Aggregate:
    return kind(**{f.name: row[f.name] for f in fields(kind)})


async def create_venue(
    session: AsyncSession, name: str, time_zone: str, address: str | None
) -> Row:
    venue = {"venue_id": new_id("ven"), "name": name, "time_zone": time_zone, "address": address}
    await session.execute(insert(venues).values(**venue))
    return venue


async def get_venue(session: AsyncSession, venue_id: str) -> Row | None:
    found = await row_by_key(session, venues, "venue_id", venue_id)
    return dict(found) if found else None


async def venue_sections(session: AsyncSession, venue_id: str) -> list[Row]:
    query = (
        select(sections.c.section_id, sections.c.name, func.count(seats.c.seat_id).label("seats"))
        .select_from(sections.outerjoin(seats))
        .where(sections.c.venue_id == venue_id)
        .group_by(sections.c.section_id)
        .order_by(sections.c.rank, sections.c.name)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def seats_already_there(
    session: AsyncSession, venue_id: str, rows: Sequence[SeatRow]
) -> list[tuple[str, str, int]]:
    """The file's seats the venue has already (section, row, number), in the file's order."""
    query = (
        select(sections.c.name, seats.c.row_label, seats.c.number)
        .join(seats, seats.c.section_id == sections.c.section_id)
        .where(sections.c.venue_id == venue_id)
    )
    there = {(r.name, r.row_label, r.number) for r in (await session.execute(query)).all()}
    return [key for row in rows if (key := (row.section, row.row, row.number)) in there]


async def import_seats(session: AsyncSession, venue_id: str, rows: Sequence[SeatRow]) -> int:
    """Add seats (creating sections as needed); rows rank in order of first appearance."""
    existing = {
        r.name: r.section_id
        for r in (
            await session.execute(select(sections).where(sections.c.venue_id == venue_id))
        ).all()
    }
    row_ranks: dict[tuple[str, str], int] = {}
    values = []
    for seat in rows:
        if seat.section not in existing:
            section_id = new_id("sec")
            await session.execute(
                insert(sections).values(
                    section_id=section_id, venue_id=venue_id, name=seat.section, rank=len(existing)
                )
            )
            existing[seat.section] = section_id
        rank = row_ranks.setdefault((seat.section, seat.row), len(row_ranks))
        values.append(
            {
                "seat_id": new_id("seat"),
                "section_id": existing[seat.section],
                "row_label": seat.row,
                "row_rank": rank,
                "number": seat.number,
                "x": seat.x,
                "y": seat.y,
                "accessible": seat.accessible,
            }
        )
    await session.execute(insert(seats), values)
    return len(values)


async def create_event(
    session: AsyncSession,
    *,
    name: str,
    time_zone: str,
    description: str,
    refund_returns_capacity: bool,
) -> Row:
    """A draft event; the answer is what was stored (without the database's defaults)."""
    event = {
        "event_id": new_id("evt"),
        "status": "draft",
        "name": name,
        "description": description,
        "time_zone": time_zone,
        "refund_returns_capacity": refund_returns_capacity,
    }
    await session.execute(insert(events).values(**event))
    return event


async def get_event(
    session: AsyncSession, event_id: str, *, for_update: bool = False
) -> Event | None:
    found = await row_by_key(session, events, "event_id", event_id, lock=for_update)
    return _event(found) if found else None


def _event(row: RowMapping) -> Event:
    event = _loaded(Event, row)
    return replace(event, status=EventStatus(event.status))


async def set_event_status(session: AsyncSession, event_id: str, status: str) -> None:
    await session.execute(update(events).where(events.c.event_id == event_id).values(status=status))


async def create_performance(
    session: AsyncSession,
    *,
    event_id: str,
    starts_at: datetime,
    ends_at: datetime,
    sales_open_at: datetime,
    sales_close_at: datetime,
    venue_id: str | None,
    hold_ttl_s: int,
    max_per_order: int,
) -> Row:
    """A scheduled performance; the answer is what was stored."""
    performance = {
        "performance_id": new_id("prf"),
        "status": "scheduled",
        "event_id": event_id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "sales_open_at": sales_open_at,
        "sales_close_at": sales_close_at,
        "venue_id": venue_id,
        "hold_ttl_s": hold_ttl_s,
        "max_per_order": max_per_order,
    }
    await session.execute(insert(performances).values(**performance))
    return performance


_PERFORMANCES = select(
    performances, events.c.status.label("event_status"), events.c.name.label("event_name")
).join(events)


def _performance(row: RowMapping) -> Performance:
    performance = _loaded(Performance, row)
    return replace(performance, event_status=EventStatus(performance.event_status))


async def get_performance(
    session: AsyncSession, performance_id: str, *, for_update: bool = False
) -> Performance | None:
    query = _PERFORMANCES.where(performances.c.performance_id == performance_id)
    if for_update:
        query = query.with_for_update(of=performances)
    row = (await session.execute(query)).first()
    return _performance(row._mapping) if row else None


_PLACE = (
    venues.c.name.label("venue_name"),
    venues.c.address.label("venue_address"),
    func.coalesce(venues.c.time_zone, events.c.time_zone).label("time_zone"),
)


async def performance_and_place(
    session: AsyncSession, performance_id: str
) -> tuple[Performance, Row] | None:
    """The performance, and its place as a ticket prints it: venue name and address (none for
    general admission without a venue) and time zone; one query (a buyer's page reads both on
    every poll, and an order's pricing reads both)."""
    query = (
        select(
            performances,
            events.c.status.label("event_status"),
            events.c.name.label("event_name"),
            *_PLACE,
        )
        .select_from(performances.join(events).outerjoin(venues))
        .where(performances.c.performance_id == performance_id)
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    place = {name: row._mapping[name] for name in ("venue_name", "venue_address", "time_zone")}
    return _performance(row._mapping), place


async def venue_time_zones(session: AsyncSession, venue_ids: Sequence[str]) -> dict[str, str]:
    query = select(venues.c.venue_id, venues.c.time_zone).where(venues.c.venue_id.in_(venue_ids))
    return {r.venue_id: r.time_zone for r in (await session.execute(query)).all()}


#: a seat as people name it: its id, section name, row label and number
SEAT_LABEL = (
    seats.c.seat_id,
    sections.c.name.label("section"),
    seats.c.row_label.label("row"),
    seats.c.number,
)


async def seat_labels(session: AsyncSession, seat_ids: Sequence[str]) -> dict[str, Row]:
    """Section name, row label and number of each seat."""
    if not seat_ids:
        return {}
    query = select(*SEAT_LABEL).join(sections).where(seats.c.seat_id.in_(list(seat_ids)))
    return {r.seat_id: dict(r._mapping) for r in (await session.execute(query)).all()}


async def event_performances(session: AsyncSession, event_ids: Sequence[str]) -> list[Performance]:
    query = _PERFORMANCES.where(performances.c.event_id.in_(event_ids)).order_by(
        performances.c.starts_at
    )
    return [_performance(r._mapping) for r in (await session.execute(query)).all()]


async def upcoming_performances(
    session: AsyncSession, event_ids: Sequence[str], now: datetime
) -> list[Performance]:
    """The events' scheduled performances that have not ended, soonest first (the past ones
    stay in the database, never in the public list)."""
    query = _PERFORMANCES.where(
        performances.c.event_id.in_(event_ids),
        performances.c.ends_at > now,
        performances.c.status == "scheduled",
    ).order_by(performances.c.starts_at)
    return [_performance(r._mapping) for r in (await session.execute(query)).all()]


async def set_performance_status(session: AsyncSession, performance_id: str, status: str) -> None:
    await session.execute(
        update(performances)
        .where(performances.c.performance_id == performance_id)
        .values(status=status)
    )


async def save_sale_terms(session: AsyncSession, performance: Performance) -> None:
    """Store the performance's sale terms (window, hold time, most per order), nothing else."""
    await session.execute(
        update(performances)
        .where(performances.c.performance_id == performance.performance_id)
        .values(
            sales_open_at=performance.sales_open_at,
            sales_close_at=performance.sales_close_at,
            hold_ttl_s=performance.hold_ttl_s,
            max_per_order=performance.max_per_order,
        )
    )


async def add_tier(
    session: AsyncSession,
    *,
    performance_id: str,
    name: str,
    price_amount: int,
    currency: str,
    capacity: int,
    seated: bool,
) -> Row:
    """A tier with nothing sold yet; the answer is what was stored."""
    tier = {
        "tier_id": new_id("tier"),
        "sold": 0,
        "performance_id": performance_id,
        "name": name,
        "price_amount": price_amount,
        "currency": currency,
        "capacity": capacity,
        "seated": seated,
    }
    await session.execute(insert(tiers).values(**tier))
    return tier


async def performance_tiers(session: AsyncSession, performance_id: str) -> list[Tier]:
    query = select(tiers).where(tiers.c.performance_id == performance_id).order_by(tiers.c.name)
    return [_loaded(Tier, r._mapping) for r in (await session.execute(query)).all()]


async def without_tiers(session: AsyncSession, performance_ids: Sequence[str]) -> list[str]:
    """Those of ``performance_ids`` that have no tier, in their order."""
    query = select(tiers.c.performance_id).where(tiers.c.performance_id.in_(performance_ids))
    priced = set((await session.execute(query)).scalars())
    return [p for p in performance_ids if p not in priced]


async def published_events(session: AsyncSession) -> list[Event]:
    query = select(events).where(events.c.status == "published").order_by(events.c.name)
    return [_event(r._mapping) for r in (await session.execute(query)).all()]


async def assign_seats(
    session: AsyncSession, performance_id: str, venue_id: str, zones: Sequence[PriceZone]
) -> dict[str, int]:
    """Generate the performance's seat inventory from price zones; returns seats per tier
    (the tiers' capacities are the caller's to set: ``set_seated_capacities``)."""
    venue_seats = (
        await session.execute(
            select(seats.c.seat_id, seats.c.row_label, sections.c.name.label("section"))
            .join(sections)
            .where(sections.c.venue_id == venue_id)
        )
    ).all()
    assignment = tiers_of_seats(
        (VenueSeat(s.seat_id, s.section, s.row_label) for s in venue_seats), zones
    )
    await session.execute(
        performance_seats.delete().where(performance_seats.c.performance_id == performance_id)
    )
    if assignment:
        await session.execute(
            insert(performance_seats),
            [
                {"performance_id": performance_id, "seat_id": s, "tier_id": t}
                for s, t in assignment.items()
            ],
        )
    counts: dict[str, int] = {}
    for tier_id in assignment.values():
        counts[tier_id] = counts.get(tier_id, 0) + 1
    return counts


async def sold_seats_moved(session: AsyncSession, performance_id: str) -> list[str]:
    """Seats sold (a live sale) whose tier the performance's seat inventory no longer gives
    them (another tier, or none): a sale keeps its seat in its tier."""
    query = (
        select(sales.c.seat_id)
        .select_from(
            sales.outerjoin(
                performance_seats,
                (performance_seats.c.performance_id == sales.c.performance_id)
                & (performance_seats.c.seat_id == sales.c.seat_id),
            )
        )
        .where(
            sales.c.performance_id == performance_id,
            sales.c.status == "live",
            sales.c.seat_id.is_not(None),
            performance_seats.c.tier_id.is_distinct_from(sales.c.tier_id),
        )
        .order_by(sales.c.seat_id)
    )
    return [str(seat_id) for seat_id in (await session.execute(query)).scalars()]


async def set_seated_capacities(
    session: AsyncSession, performance_id: str, counts: dict[str, int]
) -> None:
    """Every tier of the performance holds the seats its zones give it (none: 0)."""
    for tier in await performance_tiers(session, performance_id):
        await session.execute(
            update(tiers)
            .where(tiers.c.tier_id == tier.tier_id)
            .values(capacity=counts.get(tier.tier_id, 0), seated=True)
        )


async def seat_layout(session: AsyncSession, performance_id: str) -> list[Row]:
    """Every seat of the performance with its tier, in best-available preference order."""
    query = (
        select(
            seats.c.seat_id,
            seats.c.row_label,
            seats.c.number,
            seats.c.x,
            seats.c.y,
            seats.c.accessible,
            seats.c.row_rank,
            sections.c.name.label("section"),
            sections.c.rank.label("section_rank"),
            performance_seats.c.tier_id,
        )
        .select_from(performance_seats.join(seats).join(sections))
        .where(performance_seats.c.performance_id == performance_id)
        .order_by(sections.c.rank, seats.c.row_rank, seats.c.number)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def performance_stock(session: AsyncSession, performance_id: str) -> PerformanceStock:
    """The Postgres truth the hold store is (re)built from."""
    tier_rows = await performance_tiers(session, performance_id)
    layout = await seat_layout(session, performance_id)
    rows: list[list[SeatPlace]] = []
    current: tuple[str, str] | None = None
    for seat in layout:
        key = (seat["section"], seat["row_label"])
        if key != current:
            rows.append([])
            current = key
        rows[-1].append(
            SeatPlace(
                seat["seat_id"], seat["tier_id"], seat["section"], seat["row_label"], seat["number"]
            )
        )
    sold = (
        await session.execute(
            select(sales.c.seat_id, sales.c.order_id).where(
                sales.c.performance_id == performance_id,
                sales.c.status == "live",
                sales.c.seat_id.is_not(None),
            )
        )
    ).all()
    return PerformanceStock(
        performance_id=performance_id,
        tiers=[TierStock(t.tier_id, t.capacity, t.sold) for t in tier_rows],
        rows=rows,
        sold_seats={s.seat_id: s.order_id for s in sold},
    )


async def scheduled_performance_ids(session: AsyncSession, now: datetime) -> list[str]:
    query = (
        select(performances.c.performance_id)
        .join(events)
        .where(
            performances.c.status == "scheduled",
            events.c.status == "published",
            performances.c.ends_at > now,
        )
    )
    return list((await session.execute(query)).scalars().all())


async def stored_time_zones(session: AsyncSession) -> list[Row]:
    """The time zone of every event not cancelled and of every venue (for the reconciliation)."""
    query = union_all(
        select(
            literal("event").label("kind"),
            events.c.event_id.label("id"),
            events.c.time_zone,
        ).where(events.c.status != "cancelled"),
        select(literal("venue").label("kind"), venues.c.venue_id.label("id"), venues.c.time_zone),
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
