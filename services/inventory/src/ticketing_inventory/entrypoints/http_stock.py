"""Internal API for the orders service's sales summary: each tier's capacity, sold and held."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from ticketing_inventory.entrypoints.deps import InventoryDep
from ticketing_inventory.service_layer import catalogue_views
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
    query = catalogue_views.StockQuery(performance_id=performance_id, event_id=event_id)
    return await catalogue_views.stock(inv, query)
