"""Catalogue routes: staff manage venues, events, performances, tiers; buyers read what is on
sale. Each route turns its body into a command of ``service_layer/catalogue.py`` (changes) or
calls ``service_layer/catalogue_views.py`` (reads)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ticketing_inventory.domain.catalogue import EventStatus, Performance, SaleTermsChange
from ticketing_inventory.entrypoints.deps import InventoryDep, Staff
from ticketing_inventory.entrypoints.http_staff_catalogue import PerformanceTermsOut
from ticketing_inventory.entrypoints.public_schemas import (
    PublicEventOut,
    PublicPerformanceOut,
    SeatMapOut,
    SeatStatesOut,
)
from ticketing_inventory.entrypoints.schemas import (
    EventIn,
    PerformanceIn,
    PriceZonesIn,
    SaleTermsIn,
    TierIn,
    VenueIn,
)
from ticketing_inventory.service_layer import catalogue, catalogue_views
from ticketing_runtime.fields import PathId

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.post("/venues", status_code=201)
async def create_venue(body: VenueIn, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    return await catalogue.create_venue(inv, catalogue.CreateVenue(staff, **body.model_dump()))


@router.post("/venues/{venue_id}/seats", status_code=201)
async def import_seats(
    venue_id: PathId, request: Request, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    """Add seats from CSV (``section,row,number[,x,y,accessible]``, header required)."""
    command = catalogue.ImportSeats(staff, venue_id, await request.body())
    return await catalogue.import_seats(inv, command)


@router.get("/venues/{venue_id}")
async def read_venue(venue_id: PathId, _: Staff, inv: InventoryDep) -> dict[str, Any]:
    return await catalogue_views.read_venue(inv, venue_id)


@router.post("/events", status_code=201)
async def create_event(body: EventIn, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    return await catalogue.create_event(inv, catalogue.CreateEvent(staff, **body.model_dump()))


@router.post("/events/{event_id}/performances", status_code=201)
async def create_performance(
    event_id: PathId, body: PerformanceIn, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    command = catalogue.CreatePerformance(staff, event_id, **body.model_dump())
    return await catalogue.create_performance(inv, command)


@router.patch("/performances/{performance_id}", response_model=PerformanceTermsOut)
async def change_sale_terms(
    performance_id: PathId, body: SaleTermsIn, staff: Staff, inv: InventoryDep
) -> Performance:
    """Move the sales window, or change the hold time or the most tickets per order. The next
    hold, on every replica, sells under the new terms; holds already placed keep theirs."""
    change = SaleTermsChange(**body.model_dump(exclude_unset=True))
    command = catalogue.ChangeSaleTerms(staff, performance_id, change)
    return await catalogue.change_sale_terms(inv, command)


@router.post("/performances/{performance_id}/tiers", status_code=201)
async def add_tier(
    performance_id: PathId, body: TierIn, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    price = catalogue.Price(body.price.amount, body.price.currency)
    command = catalogue.AddTier(staff, performance_id, body.name, price, body.capacity)
    return await catalogue.add_tier(inv, command)


@router.put("/performances/{performance_id}/price-zones")
async def set_price_zones(
    performance_id: PathId, body: PriceZonesIn, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    """Map the venue's seats to tiers; this generates the performance's seat inventory."""
    zones = [catalogue.PriceZone(**zone.model_dump()) for zone in body.zones]
    command = catalogue.SetPriceZones(staff, performance_id, zones)
    return await catalogue.set_price_zones(inv, command)


@router.post("/events/{event_id}/publish")
async def publish_event(event_id: PathId, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    command = catalogue.ChangeEventStatus(staff, event_id, EventStatus.PUBLISHED)
    return await catalogue.change_event_status(inv, command)


@router.post("/events/{event_id}/cancel")
async def cancel_event(event_id: PathId, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    command = catalogue.ChangeEventStatus(staff, event_id, EventStatus.CANCELLED)
    return await catalogue.change_event_status(inv, command)


@router.post("/performances/{performance_id}/cancel")
async def cancel_performance(
    performance_id: PathId, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    """Stops selling at once (every replica reads the cached terms again)."""
    command = catalogue.CancelPerformance(staff, performance_id)
    return await catalogue.cancel_performance(inv, command)


# --- public reads ------------------------------------------------------------------------------


@router.get("/events", tags=["public"], response_model=list[PublicEventOut])
async def list_events(inv: InventoryDep) -> list[dict[str, Any]]:
    """Published events with their upcoming performances."""
    return await catalogue_views.list_events(inv)


@router.get("/performances/{performance_id}", tags=["public"], response_model=PublicPerformanceOut)
async def read_performance(performance_id: PathId, inv: InventoryDep) -> dict[str, Any]:
    """One performance with its tiers and live availability (from Redis, not a table scan)."""
    return await catalogue_views.read_performance(inv, performance_id)


@router.get("/performances/{performance_id}/seats", tags=["public"], response_model=SeatMapOut)
async def seat_map(performance_id: PathId, inv: InventoryDep, request: Request) -> Response:
    """Every seat with its place, tier and state: available, held or sold. Ask it once, then
    follow the states with ``/seat-states``. Gzipped for a client that accepts it."""
    # built as SeatMapOut's JSON once for every buyer asking (not validated again per request)
    gzipped = accepts_gzip(request.headers.get("accept-encoding", ""))
    body = await catalogue_views.seat_map(inv, performance_id, gzipped=gzipped)
    headers = {"Vary": "Accept-Encoding"} | ({"Content-Encoding": "gzip"} if gzipped else {})
    return Response(body, media_type="application/json", headers=headers)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` accepts gzip (by name or ``*``, with a weight above 0)."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name.strip().lower()] = weight
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


@router.get(
    "/performances/{performance_id}/seat-states", tags=["public"], response_model=SeatStatesOut
)
async def seat_states(performance_id: PathId, inv: InventoryDep) -> dict[str, Any]:
    """The seats held or sold now (every other is available), as of at most a second ago: what
    an open seat map asks every few seconds."""
    return await catalogue_views.seat_states(inv, performance_id)
