"""Catalogue: staff manage venues, events, performances, tiers; buyers read what is on sale."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts import PerformanceCancelledV1, PerformancePublishedV1
from ticketing_inventory.adapters import catalogue_repository as repo
from ticketing_inventory.domain.catalogue import (
    CatalogueError,
    EventStatus,
    invalid_time_zones,
    next_event_status,
    parse_seat_csv,
)
from ticketing_inventory.entrypoints.deps import InventoryDep, Staff
from ticketing_inventory.entrypoints.public_schemas import (
    PublicEventOut,
    PublicPerformanceOut,
    SeatMapOut,
)
from ticketing_inventory.entrypoints.schemas import (
    EventIn,
    PerformanceIn,
    PriceZonesIn,
    TierIn,
    VenueIn,
)
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1", tags=["catalogue"])


async def _audit(
    uow: UnitOfWork,
    staff: Identity,
    action: str,
    target: tuple[str, str],
    body: BaseModel | dict[str, Any] | None,
) -> None:
    details = body.model_dump(mode="json") if isinstance(body, BaseModel) else body or {}
    await record_action(uow, staff, f"inventory.{action}", target=target, details=details)


def _missing(kind: str, identifier: str) -> Problem:
    return Problem(404, f"unknown-{kind}", f"no {kind} {identifier!r}")


def _refused(error: CatalogueError) -> Problem:
    return Problem(409, error.code, error.detail)


@router.post("/venues", status_code=201)
async def create_venue(body: VenueIn, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    async with inv.database.unit_of_work() as uow:
        venue = await repo.create_venue(uow.session, body.name, body.time_zone, body.address)
        await _audit(uow, staff, "venue.created", ("venue", venue["venue_id"]), body)
        await uow.commit()
    return venue


@router.post("/venues/{venue_id}/seats", status_code=201)
async def import_seats(
    venue_id: PathId, request: Request, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    """Add seats from CSV (``section,row,number[,x,y,accessible]``, header required)."""
    try:
        rows = parse_seat_csv((await request.body()).decode())
    except (CatalogueError, UnicodeDecodeError) as exc:
        detail = exc.detail if isinstance(exc, CatalogueError) else "the body is not UTF-8 text"
        raise Problem(422, "invalid-csv", detail) from exc
    async with inv.database.unit_of_work() as uow:
        if await repo.get_venue(uow.session, venue_id) is None:
            raise _missing("venue", venue_id)
        try:
            imported = await repo.import_seats(uow.session, venue_id, rows)
            details = {"imported": imported}
            await _audit(uow, staff, "venue.seats_imported", ("venue", venue_id), details)
            await uow.commit()
        except Exception as exc:  # a seat already in the venue violates the unique key
            if "seats_section_id_row_label_number_key" in str(exc):
                raise Problem(409, "duplicate-seat", "a seat in the file already exists") from exc
            raise
    return {"venue_id": venue_id, "imported": imported}


@router.get("/venues/{venue_id}")
async def read_venue(venue_id: PathId, _: Staff, inv: InventoryDep) -> dict[str, Any]:
    async with inv.database.unit_of_work() as uow:
        venue = await repo.get_venue(uow.session, venue_id)
        if venue is None:
            raise _missing("venue", venue_id)
        venue["sections"] = await repo.venue_sections(uow.session, venue_id)
    return venue


@router.post("/events", status_code=201)
async def create_event(body: EventIn, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    async with inv.database.unit_of_work() as uow:
        event = await repo.create_event(uow.session, **body.model_dump())
        await _audit(uow, staff, "event.created", ("event", event["event_id"]), body)
        await uow.commit()
    return event


@router.post("/events/{event_id}/performances", status_code=201)
async def create_performance(
    event_id: PathId, body: PerformanceIn, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    async with inv.database.unit_of_work() as uow:
        event = await repo.get_event(uow.session, event_id)
        if event is None:
            raise _missing("event", event_id)
        if event["status"] == EventStatus.CANCELLED:
            raise Problem(409, "event-cancelled", "a cancelled event takes no performances")
        if body.venue_id and await repo.get_venue(uow.session, body.venue_id) is None:
            raise _missing("venue", body.venue_id)
        performance = await repo.create_performance(
            uow.session, event_id=event_id, **body.model_dump()
        )
        target = ("performance", performance["performance_id"])
        await _audit(uow, staff, "performance.created", target, body)
        await uow.commit()
    return performance


@router.post("/performances/{performance_id}/tiers", status_code=201)
async def add_tier(
    performance_id: PathId, body: TierIn, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    async with inv.database.unit_of_work() as uow:
        performance = await repo.get_performance(uow.session, performance_id, for_update=True)
        if performance is None:
            raise _missing("performance", performance_id)
        tier = await repo.add_tier(
            uow.session,
            performance_id=performance_id,
            name=body.name,
            price_amount=body.price.amount,
            currency=body.price.currency,
            capacity=body.capacity,
            seated=performance["venue_id"] is not None,
        )
        await _audit(uow, staff, "tier.created", ("tier", tier["tier_id"]), body)
        await uow.commit()
    await _reload(inv, performance_id)
    return tier


@router.put("/performances/{performance_id}/price-zones")
async def set_price_zones(
    performance_id: PathId, body: PriceZonesIn, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    """Map the venue's seats to tiers; this generates the performance's seat inventory."""
    async with inv.database.unit_of_work() as uow:
        performance = await repo.get_performance(uow.session, performance_id, for_update=True)
        if performance is None:
            raise _missing("performance", performance_id)
        if performance["venue_id"] is None:
            raise Problem(409, "not-seated", "this performance has no venue seat map")
        known = {t["tier_id"] for t in await repo.performance_tiers(uow.session, performance_id)}
        if unknown := {z.tier_id for z in body.zones} - known:
            raise Problem(422, "unknown-tier", f"tiers not in this performance: {sorted(unknown)}")
        counts = await repo.assign_seats(
            uow.session,
            performance_id,
            performance["venue_id"],
            [z.model_dump() for z in body.zones],
        )
        target = ("performance", performance_id)
        await _audit(uow, staff, "performance.price_zones_set", target, body)
        await uow.commit()
    await _reload(inv, performance_id)
    return {"performance_id": performance_id, "seats_per_tier": counts}


@router.post("/events/{event_id}/publish")
async def publish_event(event_id: PathId, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    return await _change_event(event_id, EventStatus.PUBLISHED, inv, staff)


@router.post("/events/{event_id}/cancel")
async def cancel_event(event_id: PathId, staff: Staff, inv: InventoryDep) -> dict[str, Any]:
    return await _change_event(event_id, EventStatus.CANCELLED, inv, staff)


async def _change_event(
    event_id: str, wanted: EventStatus, inv: InventoryDep, staff: Identity
) -> dict[str, Any]:
    async with inv.database.unit_of_work() as uow:
        event = await repo.get_event(uow.session, event_id, for_update=True)
        if event is None:
            raise _missing("event", event_id)
        try:
            next_event_status(EventStatus(event["status"]), wanted)
        except CatalogueError as exc:
            raise _refused(exc) from exc
        shows = await repo.event_performances(uow.session, [event_id])
        if wanted == EventStatus.PUBLISHED:
            await _refuse_invalid_zones(uow.session, event, shows)
        await repo.set_event_status(uow.session, event_id, wanted)
        for show in shows:
            await uow.publish(_status_event(event_id, show, wanted))
        done = "published" if wanted == EventStatus.PUBLISHED else "cancelled"
        await _audit(uow, staff, f"event.{done}", ("event", event_id), None)
        await uow.commit()
    ids = [s["performance_id"] for s in shows]
    await inv.terms.forget(*ids)
    for performance_id in ids:
        await _reload(inv, performance_id)
    return {**event, "status": wanted}


@router.post("/performances/{performance_id}/cancel")
async def cancel_performance(
    performance_id: PathId, staff: Staff, inv: InventoryDep
) -> dict[str, Any]:
    """Stops selling at once (every replica reads the cached terms again)."""
    async with inv.database.unit_of_work() as uow:
        performance = await repo.get_performance(uow.session, performance_id, for_update=True)
        if performance is None:
            raise _missing("performance", performance_id)
        if performance["status"] != "cancelled":
            await repo.set_performance_status(uow.session, performance_id, "cancelled")
            await uow.publish(
                PerformanceCancelledV1(
                    event_id=performance["event_id"], performance_id=performance_id
                )
            )
            target = ("performance", performance_id)
            await _audit(uow, staff, "performance.cancelled", target, None)
            await uow.commit()
    await inv.terms.forget(performance_id)
    return {"performance_id": performance_id, "status": "cancelled"}


async def _refuse_invalid_zones(
    session: AsyncSession, event: dict[str, Any], shows: list[dict[str, Any]]
) -> None:
    venue_ids = sorted({s["venue_id"] for s in shows if s.get("venue_id")})
    venues = [v for v in [await repo.get_venue(session, i) for i in venue_ids] if v]
    if invalid := invalid_time_zones(event, venues):
        raise Problem(
            409,
            "invalid-time-zone",
            f"not published: unknown IANA time zones: {'; '.join(invalid)}",
            invalid=invalid,
        )


def _status_event(
    event_id: str, show: dict[str, Any], wanted: EventStatus
) -> PerformancePublishedV1 | PerformanceCancelledV1:
    if wanted == EventStatus.PUBLISHED:
        return PerformancePublishedV1(
            event_id=event_id, performance_id=show["performance_id"], starts_at=show["starts_at"]
        )
    return PerformanceCancelledV1(
        event_id=event_id, performance_id=show["performance_id"], reason="event cancelled"
    )


async def _reload(inv: InventoryDep, performance_id: str) -> None:
    """Give the hold store the Postgres truth of this performance (capacity, seats, sales)."""
    async with inv.database.unit_of_work() as uow:
        stock = await repo.performance_stock(uow.session, performance_id)
    await inv.holds.load(stock)
    await inv.terms.forget(performance_id)


# --- public reads ------------------------------------------------------------------------------


@router.get("/events", tags=["public"], response_model=list[PublicEventOut])
async def list_events(inv: InventoryDep) -> list[dict[str, Any]]:
    """Published events with their upcoming performances."""
    now = datetime.now(UTC)
    async with inv.database.unit_of_work() as uow:
        found = await repo.published_events(uow.session)
        shows = await repo.event_performances(uow.session, [e["event_id"] for e in found])
    by_event: dict[str, list[dict[str, Any]]] = {}
    for show in shows:
        if show["ends_at"] > now and show["status"] == "scheduled":
            by_event.setdefault(show["event_id"], []).append(_public_show(show))
    return [{**_public_event(e), "performances": by_event.get(e["event_id"], [])} for e in found]


@router.get("/performances/{performance_id}", tags=["public"], response_model=PublicPerformanceOut)
async def read_performance(performance_id: PathId, inv: InventoryDep) -> dict[str, Any]:
    """One performance with its tiers and live availability (from Redis, not a table scan)."""
    async with inv.database.unit_of_work() as uow:
        performance = await repo.get_performance(uow.session, performance_id)
        if performance is None or performance["event_status"] == EventStatus.DRAFT:
            raise _missing("performance", performance_id)
        tiers = await repo.performance_tiers(uow.session, performance_id)
        place = await repo.printed_place(uow.session, performance_id)
    availability = await inv.holds.availability(performance_id)
    return {
        **_public_show(performance),
        "event_name": performance["event_name"],
        **place,
        "tiers": [
            {
                "tier_id": t["tier_id"],
                "name": t["name"],
                "price": {"amount": t["price_amount"], "currency": t["currency"]},
                "capacity": t["capacity"],
                "available": availability.tiers.get(t["tier_id"], 0),
                "seated": t["seated"],
            }
            for t in tiers
        ],
    }


@router.get("/performances/{performance_id}/seats", tags=["public"], response_model=SeatMapOut)
async def seat_map(performance_id: PathId, inv: InventoryDep) -> dict[str, Any]:
    """Every seat with its place, tier and state: available, held or sold."""
    async with inv.database.unit_of_work() as uow:
        performance = await repo.get_performance(uow.session, performance_id)
        if performance is None or performance["event_status"] == EventStatus.DRAFT:
            raise _missing("performance", performance_id)
        layout = await repo.seat_layout(uow.session, performance_id)
    states = (await inv.holds.availability(performance_id)).seats
    return {
        "performance_id": performance_id,
        "seats": [
            {
                "seat_id": s["seat_id"],
                "section": s["section"],
                "row": s["row_label"],
                "number": s["number"],
                "x": s["x"],
                "y": s["y"],
                "accessible": s["accessible"],
                "tier_id": s["tier_id"],
                "state": states.get(s["seat_id"], "available"),
            }
            for s in layout
        ],
    }


def _public_event(event: dict[str, Any]) -> dict[str, Any]:
    keys = ("event_id", "name", "description", "time_zone", "status")
    return {k: event[k] for k in keys}


def _public_show(show: dict[str, Any]) -> dict[str, Any]:
    keys = (
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
    return {k: show[k] for k in keys}
