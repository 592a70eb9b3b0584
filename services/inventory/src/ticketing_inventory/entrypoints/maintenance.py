"""Redis as a cache of the truth: rebuild it from Postgres, reconcile the two, sweep expiries."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import HoldExpiredV1
from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.entrypoints.deps import Inventory
from ticketing_runtime.fields import is_time_zone
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)


async def rebuild(inv: Inventory) -> dict[str, int]:
    """Load every on-sale performance's Postgres truth into Redis, pinned holds included."""
    now = datetime.now(UTC)
    async with inv.database.unit_of_work() as uow:
        performance_ids = await catalogue.scheduled_performance_ids(uow.session, now)
    restored = 0
    for performance_id in performance_ids:
        async with inv.database.unit_of_work() as uow:
            stock = await catalogue.performance_stock(uow.session, performance_id)
            pins = await sales.live_pins(uow.session, performance_id, now)
        await inv.holds.load(stock)
        for hold in pins:
            await inv.holds.restore_pinned(performance_id, hold)
            restored += 1
    log.info("rebuilt Redis for %d performances, %d pinned holds", len(performance_ids), restored)
    return {"performances": len(performance_ids), "pinned_holds": restored}


async def reconcile(inv: Inventory, only: str | None = None) -> dict[str, Any]:
    """Every difference between Redis and Postgres, and between sold and capacity (want zeros),
    for every scheduled performance or ``only`` that one; and every stored event or venue whose
    time zone ``zoneinfo`` does not know (stored before zones were checked: publish refuses it)."""
    now = datetime.now(UTC)
    differences: list[dict[str, Any]] = []
    summary: list[dict[str, Any]] = []
    oversold = 0
    async with inv.database.unit_of_work() as uow:
        performance_ids = await catalogue.scheduled_performance_ids(uow.session, now)
        if only is not None:
            performance_ids = [p for p in performance_ids if p == only]
        for performance_id in performance_ids:
            stock = await catalogue.performance_stock(uow.session, performance_id)
            counted = await sales.sold_per_tier(uow.session, performance_id)
            pins = await sales.live_pins(uow.session, performance_id, now)
            cached = await inv.holds.snapshot(performance_id)
            for tier in stock.tiers:
                summary.append(
                    {
                        "performance_id": performance_id,
                        "tier_id": tier.tier_id,
                        "capacity": tier.capacity,
                        "sold": tier.sold,
                    }
                )
                if tier.sold > tier.capacity:
                    oversold += tier.sold - tier.capacity
                checks = {
                    "tier sold counter vs sales rows": (tier.sold, counted.get(tier.tier_id, 0)),
                    "tier sold: Postgres vs Redis": (tier.sold, cached.sold.get(tier.tier_id)),
                    "capacity: Postgres vs Redis": (
                        tier.capacity,
                        cached.capacity.get(tier.tier_id),
                    ),
                }
                for what, (truth, seen) in checks.items():
                    if truth != seen:
                        differences.append(
                            {
                                "performance_id": performance_id,
                                "tier_id": tier.tier_id,
                                "check": what,
                                "postgres": truth,
                                "other": seen,
                            }
                        )
            if set(stock.sold_seats) != cached.sold_seats:
                differences.append(
                    {
                        "performance_id": performance_id,
                        "check": "sold seats: Postgres vs Redis",
                        "missing_in_redis": sorted(set(stock.sold_seats) - cached.sold_seats),
                        "extra_in_redis": sorted(cached.sold_seats - set(stock.sold_seats)),
                    }
                )
            missing_pins = [h.hold_id for h in pins if h.hold_id not in cached.active_holds]
            if missing_pins:
                differences.append(
                    {
                        "performance_id": performance_id,
                        "check": "pinned holds missing in Redis",
                        "hold_ids": missing_pins,
                    }
                )
        zones = await catalogue.stored_time_zones(uow.session)
    invalid_zones = [z for z in zones if not is_time_zone(z["time_zone"])]
    return {
        "performances": len(performance_ids),
        "invalid_time_zones": len(invalid_zones),
        "time_zones": invalid_zones,
        "differences": len(differences),
        "oversold": oversold,
        "details": differences,
        "tiers": summary,
    }


async def sweep_expired_holds(inv: Inventory, stop: asyncio.Event, interval_s: float = 1.0) -> None:
    """Announce expired holds (``hold.expired``); safe to run in every replica."""
    await run_periodically(lambda: sweep_once(inv), stop, interval_s, "hold sweep")


async def sweep_once(inv: Inventory, turn_ms: int = 900) -> int:
    """Expire due holds everywhere and announce them: committed first, forgotten after (a crash
    in between announces them twice, never zero times; consumers de-duplicate)."""
    if not await inv.holds.take_sweep_turn(turn_ms):
        return 0
    waiting = await inv.holds.expired_waiting(await inv.holds.active_performances())
    for performance_id, expired in waiting.items():
        async with inv.database.unit_of_work() as uow:
            now = datetime.now(UTC)
            for hold_id in expired:
                await uow.publish(
                    HoldExpiredV1(hold_id=hold_id, performance_id=performance_id, expired_at=now)
                )
            await uow.commit()
        await inv.holds.announced(performance_id, len(expired))
    return sum(len(ids) for ids in waiting.values())
