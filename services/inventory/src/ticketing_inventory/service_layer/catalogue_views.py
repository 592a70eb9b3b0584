"""The catalogue as it is read: a venue for staff; published events, a performance with its
live availability and its seat map for buyers; each tier's stock for the orders service.
Views, so dictionaries shaped as the answers are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_inventory.adapters import catalogue_repository as repo
from ticketing_inventory.domain.catalogue import Event, EventStatus, Performance, Tier
from ticketing_inventory.domain.errors import NotFound
from ticketing_inventory.service_layer.container import Inventory

Row = dict[str, Any]

EVENT_FIELDS = ("event_id", "name", "description", "time_zone", "status")
SHOW_FIELDS = (
    "performance_id",
    "event_id",
    "venue_id",
    "starts_at",
    "ends_at",
    "sales_open_at",
    "sales_close_at",
    "status",
    "max_per_order",
)


@dataclass(frozen=True)
class StockQuery:
    """Exactly one of the two."""

    performance_id: str | None = None
    event_id: str | None = None


async def read_venue(inv: Inventory, venue_id: str) -> Row:
    async with inv.database.unit_of_work() as uow:
        venue = await repo.get_venue(uow.session, venue_id)
        if venue is None:
            raise NotFound.unknown("venue", venue_id)
        venue["sections"] = await repo.venue_sections(uow.session, venue_id)
    return venue


async def list_events(inv: Inventory) -> list[Row]:
    """Published events with their upcoming performances, each on its venue's clock."""
    now = datetime.now(UTC)
    async with inv.database.unit_of_work() as uow:
        found = await repo.published_events(uow.session)
        shows = await repo.upcoming_performances(uow.session, [e.event_id for e in found], now)
        zones = await _clocks(uow.session, shows, {e.event_id: e.time_zone for e in found})
    by_event: dict[str, list[Row]] = {}
    for show in shows:
        by_event.setdefault(show.event_id, []).append(
            {**_only(show, SHOW_FIELDS), "time_zone": zones[show.performance_id]}
        )
    return [{**_only(e, EVENT_FIELDS), "performances": by_event.get(e.event_id, [])} for e in found]


async def read_performance(inv: Inventory, performance_id: str) -> Row:
    """One performance with its tiers and live availability (from Redis, not a table scan)."""
    async with inv.database.unit_of_work() as uow:
        known, place = await repo.performance_and_place(uow.session, performance_id) or (None, {})
        performance = _shown(known, performance_id)
        tiers = await repo.performance_tiers(uow.session, performance_id)
    left = await inv.holds.tiers_left(performance_id)
    return {
        **_only(performance, SHOW_FIELDS),
        "event_name": performance.event_name,
        **place,
        "tiers": [
            {
                "tier_id": t.tier_id,
                "name": t.name,
                "price": {"amount": t.price_amount, "currency": t.currency},
                "capacity": t.capacity,
                "available": left.get(t.tier_id, 0),
                "seated": t.seated,
            }
            for t in tiers
        ],
    }


async def seat_map(inv: Inventory, performance_id: str, *, gzipped: bool = False) -> bytes:
    """Every seat with its place, tier and state (available, held or sold), as the JSON of
    ``SeatMapOut`` (``gzipped``: its gzip): built once per layout and read of the states
    (``SeatMaps``), not per ask."""
    await _known_public(inv, performance_id)
    read_layout = partial(_map_seats, inv, performance_id)
    return await inv.seat_maps.of(performance_id, read_layout, gzipped=gzipped)


async def _map_seats(inv: Inventory, performance_id: str) -> list[Row]:
    async with inv.database.unit_of_work() as uow:
        layout = await repo.seat_layout(uow.session, performance_id)
    return [
        {
            "seat_id": s["seat_id"],
            "section": s["section"],
            "row": s["row_label"],
            "number": s["number"],
            "x": s["x"],
            "y": s["y"],
            "accessible": s["accessible"],
            "tier_id": s["tier_id"],
        }
        for s in layout
    ]


async def seat_states(inv: Inventory, performance_id: str) -> Row:
    """The seats someone holds or bought, with which (every other seat is available): what a
    seat map asks every few seconds once it has the seats' places (``seat_map``), a few bytes
    a taken seat instead of the whole map (3 MB for 20,000 seats)."""
    await _known_public(inv, performance_id)
    states = await inv.seat_states.of(performance_id)
    return {
        "performance_id": performance_id,
        "taken": {seat: state for seat, state in states.items() if state != "available"},
    }


async def stock(inv: Inventory, query: StockQuery) -> Row:
    """One performance, or every performance of an event: per tier the capacity, what is sold
    (Postgres, the truth), held now (Redis: live and pinned holds) and available."""
    async with inv.database.unit_of_work() as uow:
        if query.performance_id is not None:
            found = await repo.get_performance(uow.session, query.performance_id)
            shows = [found] if found is not None else []
        else:
            shows = await repo.event_performances(uow.session, [query.event_id or ""])
        if not shows:
            raise NotFound("not-found", "no such performance, or an event without performances")
        tiers = {
            s.performance_id: await repo.performance_tiers(uow.session, s.performance_id)
            for s in shows
        }
        event = await repo.get_event(uow.session, shows[0].event_id)
        # every performance has its event (a foreign key): the fallback is for mypy
        event_zone = event.time_zone if event is not None else "UTC"
        zones = await _clocks(uow.session, shows, {shows[0].event_id: event_zone})
    return {
        "event_id": shows[0].event_id,
        "performances": [
            await _stock_of(inv, s, tiers[s.performance_id], zones[s.performance_id]) for s in shows
        ],
    }


async def _clocks(
    session: AsyncSession, shows: Sequence[Performance], event_zones: dict[str, str]
) -> dict[str, str]:
    """The time zone each performance's local times are shown in: its venue's, or its event's
    when it has no venue."""
    venues = sorted({s.venue_id for s in shows if s.venue_id is not None})
    venue_zones = await repo.venue_time_zones(session, venues)
    return {
        s.performance_id: venue_zones.get(s.venue_id or "", event_zones[s.event_id]) for s in shows
    }


async def _stock_of(inv: Inventory, show: Performance, tiers: list[Tier], zone: str) -> Row:
    cached = await inv.holds.snapshot(show.performance_id)
    left = await inv.holds.tiers_left(show.performance_id)
    return {
        "performance_id": show.performance_id,
        "starts_at": show.starts_at.isoformat(),
        "time_zone": zone,
        "status": show.status,
        "tiers": [
            {
                "tier_id": t.tier_id,
                "name": t.name,
                "capacity": t.capacity,
                "sold": t.sold,
                "held": cached.held.get(t.tier_id, 0),
                "available": left.get(t.tier_id, 0),
            }
            for t in tiers
        ],
    }


KNOWN_PUBLIC = 4096  # performances a process remembers as public


async def _known_public(inv: Inventory, performance_id: str) -> None:
    """Raises ``NotFound`` unless the performance is public. Once public it stays so (an event
    never goes back to draft, a performance is never deleted): asked of Postgres once a
    process, not on every poll of every open seat map."""
    if performance_id in inv.known_public:
        inv.known_public.move_to_end(performance_id)
        return
    async with inv.database.unit_of_work() as uow:
        await _public_performance(uow.session, performance_id)
    inv.known_public[performance_id] = None
    if len(inv.known_public) > KNOWN_PUBLIC:
        inv.known_public.popitem(last=False)


async def _public_performance(session: AsyncSession, performance_id: str) -> Performance:
    """A performance buyers may see: not one of a draft event."""
    return _shown(await repo.get_performance(session, performance_id), performance_id)


def _shown(performance: Performance | None, performance_id: str) -> Performance:
    """``performance`` if buyers may see it (known, not of a draft event); else ``NotFound``."""
    if performance is None or performance.event_status == EventStatus.DRAFT:
        raise NotFound.unknown("performance", performance_id)
    return performance


def _only(found: Event | Performance, keys: tuple[str, ...]) -> Row:
    return {k: getattr(found, k) for k in keys}
