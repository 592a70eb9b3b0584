"""Internal API for the orders service, and the operator's Redis maintenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.domain.holds import Refused
from ticketing_inventory.entrypoints import maintenance
from ticketing_inventory.entrypoints.deps import Admin, InventoryDep
from ticketing_inventory.entrypoints.http_holds import hold_out, refusal
from ticketing_inventory.entrypoints.schemas import HoldOut, PinIn
from ticketing_runtime.identity import Identity, require_service

router = APIRouter()
OrdersService = Annotated[Identity, Depends(require_service("orders"))]


@router.post("/internal/holds/{hold_id}/pin", response_model=HoldOut, tags=["internal"])
async def pin_hold(hold_id: str, body: PinIn, _: OrdersService, inv: InventoryDep) -> HoldOut:
    """Keep a hold for an order until its payment deadline, durably (Postgres too)."""
    pinned = await inv.holds.pin(hold_id, body.order_id, int(body.until.timestamp() * 1000))
    if isinstance(pinned, Refused):
        raise refusal(pinned)
    async with inv.database.unit_of_work() as uow:
        await sales.pin(uow.session, pinned, body.until)
        await uow.commit()
    return hold_out(pinned)


@router.post("/v1/admin/inventory/rebuild", tags=["admin"])
async def rebuild_redis(_: Admin, inv: InventoryDep) -> dict[str, int]:
    """Load Postgres's truth into Redis (sold counts, sold seats, pinned holds)."""
    return await maintenance.rebuild(inv)


@router.get("/v1/admin/inventory/reconciliation", tags=["admin"])
async def reconciliation(_: Admin, inv: InventoryDep) -> dict[str, Any]:
    """Differences between Redis and Postgres and between sold and capacity (all should be 0)."""
    return await maintenance.reconcile(inv)
