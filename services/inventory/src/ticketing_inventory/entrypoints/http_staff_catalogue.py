"""Staff reads of the catalogue for the console: venues, a venue's seats, and every event
(drafts and cancelled included) with its performances and tiers. The public reads show only
what is published."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from ticketing_inventory.adapters import catalogue_repository as repo
from ticketing_inventory.adapters import staff_catalogue_queries as queries
from ticketing_inventory.entrypoints.deps import InventoryDep, Staff
from ticketing_runtime.fields import PathId
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1", tags=["catalogue"])


class VenueSummaryOut(BaseModel):
    venue_id: str
    name: str
    time_zone: str
    address: str | None
    seats: int


class VenueSeatOut(BaseModel):
    seat_id: str
    section: str
    row: str
    number: int
    x: float
    y: float
    accessible: bool


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


class StaffPerformanceOut(BaseModel):
    performance_id: str
    venue_id: str | None
    starts_at: datetime
    ends_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    status: str
    hold_ttl_s: int
    max_per_order: int
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
    async with inv.database.unit_of_work() as uow:
        return await queries.all_venues(uow.session)


@router.get("/venues/{venue_id}/seats", response_model=VenueSeatsOut)
async def list_venue_seats(venue_id: PathId, _: Staff, inv: InventoryDep) -> dict[str, object]:
    """The venue's seats with their places, for the console's seat map preview (staff)."""
    async with inv.database.unit_of_work() as uow:
        if await repo.get_venue(uow.session, venue_id) is None:
            raise Problem(404, "unknown-venue", f"no venue {venue_id!r}")
        found = await queries.venue_seats(uow.session, venue_id)
    return {"venue_id": venue_id, "seats": found}


@router.get("/events/all", response_model=list[StaffEventOut])
async def list_all_events(_: Staff, inv: InventoryDep) -> list[dict[str, object]]:
    """Every event, drafts and cancelled included, with its performances and tiers (staff)."""
    async with inv.database.unit_of_work() as uow:
        found = await queries.all_events(uow.session)
        shows = await queries.performances_with_tiers(
            uow.session, [str(e["event_id"]) for e in found]
        )
    by_event: dict[object, list[dict[str, object]]] = {}
    for show in shows:
        by_event.setdefault(show["event_id"], []).append(show)
    return [{**e, "performances": by_event.get(e["event_id"], [])} for e in found]
