"""Shows built through the catalogue use cases (in process), for the integration tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ticketing_inventory.domain.catalogue import EventStatus
from ticketing_inventory.service_layer import catalogue
from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.callers import Identity

STAFF = Identity(kind="staff", subject="staff:tests", roles=frozenset({"staff"}))


@dataclass(frozen=True)
class Show:
    event_id: str
    performance_id: str
    tier_id: str


def performance_of(
    event_id: str, venue_id: str | None = None, max_per_order: int = 10
) -> catalogue.CreatePerformance:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
    return catalogue.CreatePerformance(
        STAFF,
        event_id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        sales_open_at=starts - timedelta(days=40),
        sales_close_at=starts - timedelta(minutes=5),
        venue_id=venue_id,
        max_per_order=max_per_order,
    )


async def new_event(inv: Inventory) -> str:
    command = catalogue.CreateEvent(STAFF, "Use cases", "Europe/Amsterdam")
    return str((await catalogue.create_event(inv, command))["event_id"])


async def publish(inv: Inventory, event_id: str) -> None:
    command = catalogue.ChangeEventStatus(STAFF, event_id, EventStatus.PUBLISHED)
    await catalogue.change_event_status(inv, command)


async def general_admission(inv: Inventory, capacity: int, max_per_order: int = 10) -> Show:
    event_id = await new_event(inv)
    command = performance_of(event_id, max_per_order=max_per_order)
    performance_id = (await catalogue.create_performance(inv, command))["performance_id"]
    price = catalogue.Price(2500, "EUR")
    tier = await catalogue.add_tier(
        inv, catalogue.AddTier(STAFF, performance_id, "Floor", price, capacity)
    )
    await publish(inv, event_id)
    return Show(event_id, performance_id, tier["tier_id"])


async def seated(inv: Inventory, csv: bytes, *, published: bool = True) -> Show:
    """A venue with the seats of ``csv``, every one in tier 'Stalls' (its event a draft unless
    ``published``)."""
    venue = await catalogue.create_venue(inv, catalogue.CreateVenue(STAFF, "Hall", "UTC"))
    await catalogue.import_seats(inv, catalogue.ImportSeats(STAFF, venue["venue_id"], csv))
    event_id = await new_event(inv)
    command = performance_of(event_id, venue["venue_id"])
    performance_id = (await catalogue.create_performance(inv, command))["performance_id"]
    price = catalogue.Price(4000, "EUR")
    tier = await catalogue.add_tier(inv, catalogue.AddTier(STAFF, performance_id, "Stalls", price))
    zones = [catalogue.PriceZone(tier["tier_id"])]
    await catalogue.set_price_zones(inv, catalogue.SetPriceZones(STAFF, performance_id, zones))
    if published:
        await publish(inv, event_id)
    return Show(event_id, performance_id, tier["tier_id"])
