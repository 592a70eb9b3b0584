"""The catalogue as staff read it in the console: every venue, a venue's seats, and every event
(drafts and cancelled included) with its performances and tiers. Views, shaped as the answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketing_inventory.adapters import catalogue_repository as repo
from ticketing_inventory.adapters import staff_catalogue_queries as queries
from ticketing_inventory.domain.errors import NotFound
from ticketing_inventory.service_layer.container import Inventory

Row = dict[str, Any]


async def all_venues(inv: Inventory) -> list[Row]:
    async with inv.database.unit_of_work() as uow:
        return await queries.all_venues(uow.session)


async def venue_seats(inv: Inventory, venue_id: str) -> Row:
    async with inv.database.unit_of_work() as uow:
        if await repo.get_venue(uow.session, venue_id) is None:
            raise NotFound.unknown("venue", venue_id)
        found = await queries.venue_seats(uow.session, venue_id)
    return {"venue_id": venue_id, "seats": found}


@dataclass(frozen=True)
class EventsQuery:
    """A page of events, newest first (``starting_after``: the last event of the page before)."""

    name_contains: str | None = None
    starting_after: str | None = None
    limit: int = 50


async def events_page(inv: Inventory, query: EventsQuery) -> tuple[list[Row], bool]:
    """Events of any status, each with its performances and tiers; and whether more follow."""
    async with inv.database.unit_of_work() as uow:
        found, more = await queries.events_page(
            uow.session, query.name_contains, query.starting_after, query.limit
        )
        shows = await queries.performances_with_tiers(
            uow.session, [str(e["event_id"]) for e in found]
        )
    by_event: dict[object, list[Row]] = {}
    for show in shows:
        by_event.setdefault(show["event_id"], []).append(show)
    return [{**e, "performances": by_event.get(e["event_id"], [])} for e in found], more
