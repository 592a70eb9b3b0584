"""Staff reads of the whole catalogue (drafts and cancelled included) for the console."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_inventory.adapters.catalogue_repository import SEAT_LABEL
from ticketing_inventory.adapters.tables import events, performances, seats, sections, tiers, venues
from ticketing_inventory.domain.errors import Invalid
from ticketing_runtime.pagination import keyset_page

Row = dict[str, object]


async def all_venues(session: AsyncSession) -> list[Row]:
    """Every venue with its number of seats, by name."""
    seat_count = (
        select(sections.c.venue_id, func.count(seats.c.seat_id).label("seats"))
        .select_from(sections.join(seats))
        .group_by(sections.c.venue_id)
        .subquery()
    )
    query = (
        select(venues, func.coalesce(seat_count.c.seats, 0).label("seats"))
        .select_from(venues.outerjoin(seat_count, seat_count.c.venue_id == venues.c.venue_id))
        .order_by(venues.c.name, venues.c.venue_id)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def venue_seats(session: AsyncSession, venue_id: str) -> list[Row]:
    """Every seat of a venue with its place, in section, row and number order."""
    query = (
        select(*SEAT_LABEL, seats.c.x, seats.c.y, seats.c.accessible)
        .select_from(seats.join(sections))
        .where(sections.c.venue_id == venue_id)
        .order_by(sections.c.rank, seats.c.row_rank, seats.c.number)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


_NEWEST_FIRST = (events.c.created_at, events.c.event_id)


async def events_page(
    session: AsyncSession, name_contains: str | None, after: str | None, limit: int
) -> tuple[list[Row], bool]:
    """Events newest first, any status, whose name contains ``name_contains`` (any case), after
    the event ``after``; and whether more follow."""
    query = select(events)
    if name_contains:
        pattern = name_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(events.c.name.ilike(f"%{pattern}%", escape="\\"))
    key = None
    if after is not None:
        cursor = (
            await session.execute(select(*_NEWEST_FIRST).where(events.c.event_id == after))
        ).first()
        if cursor is None:
            raise Invalid("unknown-cursor", f"starting_after: no event {after!r}")
        key = tuple(cursor)
    return await keyset_page(session, query, _NEWEST_FIRST, key, limit, descending=True)


async def performances_with_tiers(session: AsyncSession, event_ids: list[str]) -> list[Row]:
    """The events' performances (any status), each with its tiers."""
    if not event_ids:
        return []
    shows = [
        dict(r._mapping)
        for r in (
            await session.execute(
                select(performances)
                .where(performances.c.event_id.in_(event_ids))
                .order_by(performances.c.starts_at)
            )
        ).all()
    ]
    ids = [s["performance_id"] for s in shows]
    tier_rows = (
        (
            await session.execute(
                select(tiers).where(tiers.c.performance_id.in_(ids)).order_by(tiers.c.name)
            )
        ).all()
        if ids
        else []
    )
    by_show: dict[object, list[Row]] = {}
    for tier in tier_rows:
        by_show.setdefault(tier.performance_id, []).append(dict(tier._mapping))
    return [{**s, "tiers": by_show.get(s["performance_id"], [])} for s in shows]
