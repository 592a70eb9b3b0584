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

    ``only_missing`` (a replica starting, the refill loop): only the performances Redis does
    not hold; loading the others again is safe (``load_performance``) but needless work.
    """
    now = datetime.now(UTC)
    async with inv.database.unit_of_work() as uow:
        performance_ids = await catalogue.scheduled_performance_ids(uow.session, now)
    if only_missing:
        performance_ids = [p for p in performance_ids if not await inv.holds.is_loaded(p)]
    restored = 0
    for performance_id in performance_ids:
        restored += await load_performance(inv, performance_id, now)
    if performance_ids or not only_missing:
        log.info(
            "rebuilt Redis for %d performances, %d pinned holds", len(performance_ids), restored
        )
    return Rebuilt(performances=len(performance_ids), pinned_holds=restored)


async def load_performance(inv: Inventory, performance_id: str, now: datetime) -> int:
    """Give Redis this performance's truth (capacity, seats, sales, pinned holds); returns how
    many pinned holds it put back.

    Under the stock lock: a sale decided in Redis and not yet committed in Postgres is waited
    for, and the next one waits for the load, so a live performance never shows a sold seat
    free (which would let it be sold twice) however often an admin changes or reloads it.
    """
    async with inv.database.unit_of_work() as uow:
        await sales.take_stock_lock(uow.session, performance_id)
        stock = await catalogue.performance_stock(uow.session, performance_id)
        pins = await sales.live_pins(uow.session, performance_id, now)
        refused = await inv.holds.load(stock, pins)
    for hold_id, why in refused.items():
        # a paid-for seat Redis gave to someone else before this load: the payment will be
        # refused and refunded; said loudly, for staff (the reconciliation report counts it)
        log.error("pinned hold %s of %s not put back: %s", hold_id, performance_id, why.detail)
    return len(pins) - len(refused)


async def refill_lost_performances(inv: Inventory, stop: asyncio.Event, interval_s: float) -> None:
    """A Redis that restarted empty (or was flushed) while this process runs is filled again
    from Postgres within ``interval_s``; until then holds of a lost performance are refused."""
    await run_periodically(lambda: rebuild(inv, only_missing=True), stop, interval_s, "refill")
