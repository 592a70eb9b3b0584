"""Redis is a cache of the truth: rebuild it from Postgres (at start, or when an admin asks)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rebuilt:
    performances: int
    pinned_holds: int


async def rebuild(inv: Inventory, *, only_missing: bool = False) -> Rebuilt:
    """Load every on-sale performance's Postgres truth into Redis, pinned holds included.

    ``only_missing`` (a replica starting): only the performances Redis does not hold. Loading a
    live one would race the sales and refunds in flight, which change Redis before Postgres
    commits: a sale made between the read and the load would show its seats free again.
    """
    now = datetime.now(UTC)
    async with inv.database.unit_of_work() as uow:
        performance_ids = await catalogue.scheduled_performance_ids(uow.session, now)
    if only_missing:
        performance_ids = [p for p in performance_ids if not await inv.holds.is_loaded(p)]
    restored = 0
    for performance_id in performance_ids:
        async with inv.database.unit_of_work() as uow:
            stock = await catalogue.performance_stock(uow.session, performance_id)
            pins = await sales.live_pins(uow.session, performance_id, now)
        await inv.holds.load(stock)
        for hold in pins:
            await inv.holds.restore_pinned(performance_id, hold)
            restored += 1
    if performance_ids or not only_missing:
        log.info(
            "rebuilt Redis for %d performances, %d pinned holds", len(performance_ids), restored
        )
    return Rebuilt(performances=len(performance_ids), pinned_holds=restored)


async def refill_lost_performances(inv: Inventory, stop: asyncio.Event, interval_s: float) -> None:
    """A Redis that restarted empty (or was flushed) while this process runs is filled again
    from Postgres within ``interval_s``; until then holds of a lost performance are refused."""
    await run_periodically(lambda: rebuild(inv, only_missing=True), stop, interval_s, "refill")
