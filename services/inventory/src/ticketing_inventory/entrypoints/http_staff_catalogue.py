"""Staff reads of the catalogue for the console: venues, a venue's seats, and every event
(drafts and cancelled included) with its performances and tiers. The public reads show only
what is published."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ticketing_inventory.entrypoints.deps import InventoryDep, Staff
from ticketing_inventory.entrypoints.public_schemas import ShowOut, VenueSeatOut
from ticketing_inventory.service_layer import staff_catalogue_views as staff_views
from ticketing_runtime.fields import ID_PATTERN, Line, PathId
from ticketing_runtime.pagination import MAX_LIMIT

router = APIRouter(prefix="/v1", tags=["catalogue"])


class VenueSummaryOut(BaseModel):
    venue_id: str
    name: str
    time_zone: str
    address: str | None
    seats: int


class VenueSeatsOut(BaseModel):
    venue_id: str
    seats: list[VenueSeatOut]


class StaffTierOut(BaseModel):
    tier_id: str
    name: str
    price_amount: int
    currency: str
    capacity: int
    sold: int
    seated: bool


class PerformanceTermsOut(ShowOut):
    hold_ttl_s: int


class StaffPerformanceOut(PerformanceTermsOut):
    tiers: list[StaffTierOut]


class StaffEventOut(BaseModel):
    event_id: str
    name: str
    description: str
    time_zone: str
    status: str
    refund_returns_capacity: bool
    performances: list[StaffPerformanceOut]


@router.get("/venues", response_model=list[VenueSummaryOut])
async def list_venues(_: Staff, inv: InventoryDep) -> list[dict[str, object]]:
    """Every venue with its number of seats (staff)."""
    return await staff_views.all_venues(inv)


@router.get("/venues/{venue_id}/seats", response_model=VenueSeatsOut)
async def list_venue_seats(venue_id: PathId, _: Staff, inv: InventoryDep) -> dict[str, object]:
    """The venue's seats with their places, for the console's seat map preview (staff)."""
    return await staff_views.venue_seats(inv, venue_id)


class StaffEventPage(BaseModel):
    """Newest first, as Stripe pages: pass the last ``event_id`` as ``starting_after``."""

    data: list[StaffEventOut]
    has_more: bool


@router.get("/events/all", response_model=StaffEventPage)
async def list_all_events(
    _: Staff,
    inv: InventoryDep,
    q: Annotated[
        Line | None, Query(max_length=200, description="part of the event's name, any case")
    ] = None,
    starting_after: Annotated[
        str | None, Query(min_length=1, max_length=64, pattern=ID_PATTERN)
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> dict[str, object]:
    """Events of any status (drafts and cancelled included), newest first, with their
    performances and tiers (staff)."""
    query = staff_views.EventsQuery(q, starting_after, limit)
    found, more = await staff_views.events_page(inv, query)
    return {"data": found, "has_more": more}
