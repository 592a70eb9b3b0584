"""The catalogue as staff change it: venues and their seats, events, performances and their sale
terms, tiers, price zones; publishing and cancelling. Every change is audited in its own unit of
work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts import PerformanceCancelledV1, PerformancePublishedV1
from ticketing_inventory.adapters import catalogue_repository as repo
from ticketing_inventory.domain.catalogue import (
    Event,
    EventStatus,
    InvalidSeatFile,
    Performance,
    SaleTermsChange,
    invalid_time_zones,
    next_event_status,
    parse_seat_csv,
    seat_label,
)
from ticketing_inventory.domain.errors import Conflict, Invalid, NotFound
from ticketing_inventory.domain.price_zones import PriceZone as PriceZone  # the command's zones
from ticketing_inventory.service_layer.container import Inventory
from ticketing_inventory.service_layer.rebuild import load_performance
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork

Row = dict[str, Any]


@dataclass(frozen=True)
class CreateVenue:
    staff: Identity
    name: str
    time_zone: str
    address: str | None = None


@dataclass(frozen=True)
class ImportSeats:
    staff: Identity
    venue_id: str
    csv: bytes  # ``section,row,number[,x,y,accessible]``, header required


@dataclass(frozen=True)
class CreateEvent:
    staff: Identity
    name: str
    time_zone: str
    description: str = ""
    refund_returns_capacity: bool = True


@dataclass(frozen=True)
class CreatePerformance:
    staff: Identity
    event_id: str
    starts_at: datetime
    ends_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    venue_id: str | None = None
    hold_ttl_s: int = 600
    max_per_order: int = 10


@dataclass(frozen=True)
class Price:
    amount: int
    currency: str


@dataclass(frozen=True)
class AddTier:
    staff: Identity
    performance_id: str
    name: str
    price: Price
    capacity: int = 0


@dataclass(frozen=True)
class SetPriceZones:
    staff: Identity
    performance_id: str
    zones: Sequence[PriceZone]


@dataclass(frozen=True)
class ChangeEventStatus:
    staff: Identity
    event_id: str
    wanted: EventStatus  # PUBLISHED or CANCELLED


@dataclass(frozen=True)
class CancelPerformance:
    staff: Identity
    performance_id: str


@dataclass(frozen=True)
class ChangeSaleTerms:
    staff: Identity
    performance_id: str
    change: SaleTermsChange


async def create_venue(inv: Inventory, command: CreateVenue) -> Row:
    async with inv.database.unit_of_work() as uow:
        venue = await repo.create_venue(
            uow.session, command.name, command.time_zone, command.address
        )
        await _audit(uow, command, "venue.created", ("venue", venue["venue_id"]))
        await uow.commit()
    return venue


DUPLICATE_SEAT_KEY = "seats_section_id_row_label_number_key"


async def import_seats(inv: Inventory, command: ImportSeats) -> Row:
    """Add the file's seats to the venue; the file is checked before the database is asked."""
    try:
        rows = parse_seat_csv(command.csv.decode())
    except UnicodeDecodeError as exc:
        raise InvalidSeatFile("the body is not UTF-8 text") from exc
    async with inv.database.unit_of_work() as uow:
        await _venue(uow.session, command.venue_id)
        if there := await repo.seats_already_there(uow.session, command.venue_id, rows):
            more = f" (and {len(there) - 1} more of the file's seats)" if len(there) > 1 else ""
            detail = f"{seat_label(*there[0])} is already in this venue{more}"
            raise Conflict("duplicate-seat", detail)
        try:
            imported = await repo.import_seats(uow.session, command.venue_id, rows)
            details = {"imported": imported}
            target = ("venue", command.venue_id)
            await _audit(uow, command, "venue.seats_imported", target, details=details)
            await uow.commit()
        except Exception as exc:  # a seat already in the venue violates the unique key
            if DUPLICATE_SEAT_KEY in str(exc):
                raise Conflict("duplicate-seat", "a seat in the file already exists") from exc
            raise
    return {"venue_id": command.venue_id, "imported": imported}


async def create_event(inv: Inventory, command: CreateEvent) -> Row:
    async with inv.database.unit_of_work() as uow:
        event = await repo.create_event(uow.session, **_fields(command))
        await _audit(uow, command, "event.created", ("event", event["event_id"]))
        await uow.commit()
    return event


async def create_performance(inv: Inventory, command: CreatePerformance) -> Row:
    async with inv.database.unit_of_work() as uow:
        event = await repo.get_event(uow.session, command.event_id)
        if event is None:
            raise NotFound.unknown("event", command.event_id)
        if event.status == EventStatus.CANCELLED:
            raise Conflict("event-cancelled", "a cancelled event takes no performances")
        if command.venue_id:
            await _venue(uow.session, command.venue_id)
        performance = await repo.create_performance(uow.session, **_fields(command))
        target = ("performance", performance["performance_id"])
        await _audit(uow, command, "performance.created", target, "event_id")
        await uow.commit()
    return performance


async def add_tier(inv: Inventory, command: AddTier) -> Row:
    async with inv.database.unit_of_work() as uow:
        performance = await _performance(uow.session, command.performance_id)
        performance.refuse_if_cancelled("a cancelled performance takes no new tiers")
        tiers = await repo.performance_tiers(uow.session, command.performance_id)
        if any(t.name == command.name for t in tiers):
            raise Conflict(
                "tier-name-taken", f"this performance has a tier called {command.name!r} already"
            )
        if other := next((t.currency for t in tiers if t.currency != command.price.currency), None):
            # one order is charged in one currency: a mixed hold would be summed as one
            raise Conflict(
                "mixed-currencies",
                f"this performance's tiers are priced in {other}: a tier in"
                f" {command.price.currency} cannot be added to it",
            )
        tier = await repo.add_tier(
            uow.session,
            performance_id=command.performance_id,
            name=command.name,
            price_amount=command.price.amount,
            currency=command.price.currency,
            capacity=command.capacity,
            seated=performance.venue_id is not None,
        )
        await _audit(uow, command, "tier.created", ("tier", tier["tier_id"]), "performance_id")
        await uow.commit()
    await reload_performance(inv, command.performance_id)
    return tier


async def set_price_zones(inv: Inventory, command: SetPriceZones) -> Row:
    """Map the venue's seats to tiers; this generates the performance's seat inventory."""
    performance_id = command.performance_id
    async with inv.database.unit_of_work() as uow:
        performance = await _performance(uow.session, performance_id)
        performance.refuse_if_cancelled("a cancelled performance's seats stay as they are")
        venue_id = performance.venue_id
        if venue_id is None:
            raise Conflict("not-seated", "this performance has no venue seat map")
        known = {t.tier_id for t in await repo.performance_tiers(uow.session, performance_id)}
        if unknown := {z.tier_id for z in command.zones} - known:
            raise Invalid("unknown-tier", f"tiers not in this performance: {sorted(unknown)}")
        counts = await repo.assign_seats(uow.session, performance_id, venue_id, command.zones)
        if moved := await repo.sold_seats_moved(uow.session, performance_id):
            shown = ", ".join(moved[:10]) + (
                f" and {len(moved) - 10} more" if len(moved) > 10 else ""
            )
            raise Conflict(
                "sold-seats-moved",
                f"{len(moved)} sold seats would leave their tier ({shown}): zones may move"
                " unsold seats only; refund those tickets first to move them",
            )
        await repo.set_seated_capacities(uow.session, performance_id, counts)
        target = ("performance", performance_id)
        await _audit(uow, command, "performance.price_zones_set", target, "performance_id")
        await uow.commit()
    await reload_performance(inv, performance_id)
    return {"performance_id": performance_id, "seats_per_tier": counts}


async def change_event_status(inv: Inventory, command: ChangeEventStatus) -> Row:
    """Publish or cancel an event and announce each of its performances not cancelled before."""
    event_id, wanted = command.event_id, command.wanted
    async with inv.database.unit_of_work() as uow:
        event = await repo.get_event(uow.session, event_id, for_update=True)
        if event is None:
            raise NotFound.unknown("event", event_id)
        next_event_status(event.status, wanted)
        shows = await repo.event_performances(uow.session, [event_id])
        if wanted == EventStatus.PUBLISHED:
            await _refuse_invalid_zones(uow.session, event, shows)
            await _refuse_nothing_to_sell(uow.session, shows)
        await repo.set_event_status(uow.session, event_id, wanted)
        # a performance cancelled before was announced then: announced again (new message
        # id), orders owed its desk sales' refunds twice; nor is it published
        for show in (s for s in shows if s.status != "cancelled"):
            await uow.publish(_status_event(event_id, show, wanted))
        done = "published" if wanted == EventStatus.PUBLISHED else "cancelled"
        await _audit(uow, command, f"event.{done}", ("event", event_id), details={})
        await uow.commit()
    ids = [s.performance_id for s in shows]
    await inv.terms.refresh(*ids)
    for performance_id in ids:
        await reload_performance(inv, performance_id)
    return {**asdict(event), "status": wanted}


async def cancel_performance(inv: Inventory, command: CancelPerformance) -> Row:
    """Stops selling at once (every replica reads the cached terms again)."""
    performance_id = command.performance_id
    async with inv.database.unit_of_work() as uow:
        performance = await _performance(uow.session, performance_id)
        if performance.status != "cancelled":
            await repo.set_performance_status(uow.session, performance_id, "cancelled")
            await uow.publish(
                PerformanceCancelledV1(event_id=performance.event_id, performance_id=performance_id)
            )
            target = ("performance", performance_id)
            await _audit(uow, command, "performance.cancelled", target, details={})
            await uow.commit()
    await inv.terms.refresh(performance_id)
    return {"performance_id": performance_id, "status": "cancelled"}


async def change_sale_terms(inv: Inventory, command: ChangeSaleTerms) -> Performance:
    """Move the sales window or change the hold time or most per order; the next hold on any
    replica sells under the new terms (the cached ones are replaced). Holds already placed keep
    the time they were given."""
    async with inv.database.unit_of_work() as uow:
        before = await _performance(uow.session, command.performance_id)
        after = before.with_sale_terms(command.change)
        if after != before:
            await repo.save_sale_terms(uow.session, after)
            changes = {
                name: {"from": getattr(before, name), "to": value}
                for name, value in command.change.given().items()
                if getattr(before, name) != value
            }
            target = ("performance", after.performance_id)
            details = to_jsonable_python(changes)
            await _audit(uow, command, "performance.sale_terms_changed", target, details=details)
            await uow.commit()
    await inv.terms.refresh(after.performance_id)
    return after


async def reload_performance(inv: Inventory, performance_id: str) -> None:
    """Give the hold store the Postgres truth of this performance, and replicas its terms."""
    await load_performance(inv, performance_id, datetime.now(UTC))
    await inv.terms.refresh(performance_id)


async def _venue(session: AsyncSession, venue_id: str) -> Row:
    venue = await repo.get_venue(session, venue_id)
    if venue is None:
        raise NotFound.unknown("venue", venue_id)
    return venue


async def _performance(session: AsyncSession, performance_id: str) -> Performance:
    """The performance, locked for this unit of work's change."""
    performance = await repo.get_performance(session, performance_id, for_update=True)
    if performance is None:
        raise NotFound.unknown("performance", performance_id)
    return performance


async def _refuse_invalid_zones(
    session: AsyncSession, event: Event, shows: list[Performance]
) -> None:
    venue_ids = sorted({s.venue_id for s in shows if s.venue_id})
    venues = [v for v in [await repo.get_venue(session, i) for i in venue_ids] if v]
    if invalid := invalid_time_zones(event, venues):
        raise Conflict(
            "invalid-time-zone",
            f"not published: unknown IANA time zones: {'; '.join(invalid)}",
            invalid=invalid,
        )


async def _refuse_nothing_to_sell(session: AsyncSession, shows: list[Performance]) -> None:
    """A performance with no tier would be on the programme with nothing to buy."""
    scheduled = [s.performance_id for s in shows if s.status != "cancelled"]
    if bare := await repo.without_tiers(session, scheduled):
        named = ", ".join(bare[:10])
        raise Conflict(
            "no-tiers",
            f"not published: {len(bare)} performance(s) with no tier to sell ({named}):"
            " add a tier to each first",
            performance_ids=bare,
        )


def _status_event(
    event_id: str, show: Performance, wanted: EventStatus
) -> PerformancePublishedV1 | PerformanceCancelledV1:
    if wanted == EventStatus.PUBLISHED:
        return PerformancePublishedV1(
            event_id=event_id, performance_id=show.performance_id, starts_at=show.starts_at
        )
    return PerformanceCancelledV1(
        event_id=event_id, performance_id=show.performance_id, reason="event cancelled"
    )


def _fields(command: Any, *leave_out: str) -> Row:
    """The command's own fields (not who asked), as the repository stores them."""
    skipped = {"staff", *leave_out}
    return {f.name: getattr(command, f.name) for f in fields(command) if f.name not in skipped}


async def _audit(
    uow: UnitOfWork,
    command: Any,
    action: str,
    target: tuple[str, str],
    *leave_out: str,
    details: Row | None = None,
) -> None:
    """Record the change with what was asked (the command's fields but ``leave_out``, as JSON)
    unless ``details`` says otherwise."""
    if details is None:
        details = to_jsonable_python(_fields(command, *leave_out))
    await record_action(uow, command.staff, f"inventory.{action}", target=target, details=details)
