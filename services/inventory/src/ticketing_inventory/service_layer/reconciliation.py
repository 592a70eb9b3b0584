"""Reconciliation: every difference between Redis and Postgres, and between sold and capacity
(an admin wants zeros), and every stored time zone ``zoneinfo`` does not know."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.fields import is_time_zone

Row = dict[str, Any]


@dataclass
class _Findings:
    differences: list[Row] = field(default_factory=list)
    tiers: list[Row] = field(default_factory=list)
    oversold: int = 0


async def reconcile(inv: Inventory, only: str | None = None) -> Row:
    """For every scheduled performance, or ``only`` that one; time zones of every stored event
    and venue (stored before zones were checked: publish refuses them)."""
    now = datetime.now(UTC)
    found = _Findings()
    async with inv.database.unit_of_work() as uow:
        performance_ids = await catalogue.scheduled_performance_ids(uow.session, now)
        if only is not None:
            performance_ids = [p for p in performance_ids if p == only]
        for performance_id in performance_ids:
            await _compare(uow.session, inv.holds, performance_id, now, found)
        zones = await catalogue.stored_time_zones(uow.session)
    invalid_zones = [z for z in zones if not is_time_zone(z["time_zone"])]
    return {
        "performances": len(performance_ids),
        "invalid_time_zones": len(invalid_zones),
        "time_zones": invalid_zones,
        "differences": len(found.differences),
        "oversold": found.oversold,
        "details": found.differences,
        "tiers": found.tiers,
    }


async def _compare(
    session: AsyncSession, holds: HoldStore, performance_id: str, now: datetime, found: _Findings
) -> None:
    stock = await catalogue.performance_stock(session, performance_id)
    counted = await sales.sold_per_tier(session, performance_id)
    pins = await sales.live_pins(session, performance_id, now)
    cached = await holds.snapshot(performance_id)
    for tier in stock.tiers:
        found.tiers.append(
            {
                "performance_id": performance_id,
                "tier_id": tier.tier_id,
                "capacity": tier.capacity,
                "sold": tier.sold,
            }
        )
        found.oversold += max(tier.sold - tier.capacity, 0)
        checks = {
            "tier sold counter vs sales rows": (tier.sold, counted.get(tier.tier_id, 0)),
            "tier sold: Postgres vs Redis": (tier.sold, cached.sold.get(tier.tier_id)),
            "capacity: Postgres vs Redis": (tier.capacity, cached.capacity.get(tier.tier_id)),
        }
        found.differences += [
            {
                "performance_id": performance_id,
                "tier_id": tier.tier_id,
                "check": what,
                "postgres": truth,
                "other": seen,
            }
            for what, (truth, seen) in checks.items()
            if truth != seen
        ]
    sold_seats = set(stock.sold_seats)
    if sold_seats != cached.sold_seats:
        found.differences.append(
            {
                "performance_id": performance_id,
                "check": "sold seats: Postgres vs Redis",
                "missing_in_redis": sorted(sold_seats - cached.sold_seats),
                "extra_in_redis": sorted(cached.sold_seats - sold_seats),
            }
        )
    if missing_pins := [h.hold_id for h in pins if h.hold_id not in cached.active_holds]:
        found.differences.append(
            {
                "performance_id": performance_id,
                "check": "pinned holds missing in Redis",
                "hold_ids": missing_pins,
            }
        )
