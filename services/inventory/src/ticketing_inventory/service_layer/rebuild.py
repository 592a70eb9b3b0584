"""Redis is a cache of the truth: rebuild it from Postgres (at start, or when an admin asks)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.service_layer.container import Inventory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rebuilt:
    performances: int
    pinned_holds: int


async def rebuild(inv: Inventory) -> Rebuilt:
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
    return Rebuilt(performances=len(performance_ids), pinned_holds=restored)
