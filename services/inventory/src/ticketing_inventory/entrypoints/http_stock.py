"""Internal API for the orders service's sales summary: each tier's capacity, sold and held."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.entrypoints.deps import InventoryDep
from ticketing_runtime.identity import Identity, require_service
from ticketing_runtime.problems import Problem

router = APIRouter(tags=["internal"])
OrdersService = Annotated[Identity, Depends(require_service("orders"))]
Id = Annotated[str | None, Query(min_length=1, max_length=100)]


@router.get("/internal/stock")
async def stock(
    _: OrdersService, inv: InventoryDep, performance_id: Id = None, event_id: Id = None
) -> dict[str, Any]:
    """One performance, or every performance of an event: per tier the capacity, what is sold
    (Postgres, the truth), held now (Redis: live and pinned holds) and available."""
    if (performance_id is None) == (event_id is None):
        raise Problem(422, "validation-error", "name exactly one of performance_id and event_id")
    async with inv.database.unit_of_work() as uow:
        if performance_id is not None:
            found = await catalogue.get_performance(uow.session, performance_id)
            shows = [found] if found is not None else []
        else:
            assert event_id is not None
            shows = await catalogue.event_performances(uow.session, [event_id])
        if not shows:
            raise Problem(404, "not-found", "no such performance, or an event without performances")
        tiers = {
            s["performance_id"]: await catalogue.performance_tiers(uow.session, s["performance_id"])
            for s in shows
        }
    return {
        "event_id": shows[0]["event_id"],
        "performances": [await _performance(inv, s, tiers[s["performance_id"]]) for s in shows],
    }


async def _performance(
    inv: InventoryDep, show: dict[str, Any], tiers: list[dict[str, Any]]
) -> dict[str, Any]:
    cached = await inv.holds.snapshot(show["performance_id"])
    available = await inv.holds.availability(show["performance_id"])
    return {
        "performance_id": show["performance_id"],
        "starts_at": show["starts_at"].isoformat(),
        "status": show["status"],
        "tiers": [
            {
                "tier_id": t["tier_id"],
                "name": t["name"],
                "capacity": t["capacity"],
                "sold": t["sold"],
                "held": cached.held.get(t["tier_id"], 0),
                "available": available.tiers.get(t["tier_id"], 0),
            }
            for t in tiers
        ],
    }
