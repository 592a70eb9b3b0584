"""Internal API for the orders service (pin and price a hold), and the operator's Redis
maintenance (rebuild, reconciliation)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from ticketing_inventory.entrypoints.deps import Admin, InventoryDep
from ticketing_inventory.entrypoints.http_holds import hold_out
from ticketing_inventory.entrypoints.schemas import (
    PinIn,
    PinnedHoldOut,
    PricedLineOut,
    SeatLabelOut,
)
from ticketing_inventory.service_layer import holds
from ticketing_inventory.service_layer.rebuild import rebuild
from ticketing_inventory.service_layer.reconciliation import reconcile
from ticketing_runtime.fields import ID_PATTERN, PathId, QueryId
from ticketing_runtime.identity import Identity, require_service

router = APIRouter()
OrdersService = Annotated[Identity, Depends(require_service("orders"))]


@router.post("/internal/holds/{hold_id}/pin", response_model=PinnedHoldOut, tags=["internal"])
async def pin_hold(
    hold_id: PathId, body: PinIn, _: OrdersService, inv: InventoryDep
) -> PinnedHoldOut:
    """Keep a hold of ``session_id`` for an order until its payment deadline, durably (Postgres
    too), and price it. Pinning again for the same order answers the same."""
    command = holds.PinHold(hold_id, body.session_id, body.order_id, body.until)
    return priced(await holds.pin_hold(inv, command))


@router.get("/internal/holds/{hold_id}", response_model=PinnedHoldOut, tags=["internal"])
async def priced_hold(
    hold_id: PathId, session_id: QueryId, _: OrdersService, inv: InventoryDep
) -> PinnedHoldOut:
    """A hold of ``session_id`` priced, without pinning it (orders checks a coupon first)."""
    return priced(await holds.price_hold(inv, holds.OneHold(hold_id, session_id)))


def priced(found: holds.PricedHold) -> PinnedHoldOut:
    out = hold_out(found.hold)
    tiers, labels, performance, place = found.tiers, found.labels, found.performance, found.place
    return PinnedHoldOut(
        **out.model_dump(exclude={"lines"}),
        lines=[
            PricedLineOut(
                **line.model_dump(),
                tier_name=tiers[line.tier_id].name,
                unit_price=tiers[line.tier_id].price_amount,
                currency=tiers[line.tier_id].currency,
                seats=[SeatLabelOut(**labels[s]) for s in line.seat_ids if s in labels],
            )
            for line in out.lines
        ],
        event_id=performance.event_id,
        event_name=performance.event_name,
        starts_at=performance.starts_at,
        time_zone=place["time_zone"],
        venue_name=place["venue_name"],
        venue_address=place["venue_address"],
    )


@router.post("/v1/admin/inventory/rebuild", tags=["admin"])
async def rebuild_redis(_: Admin, inv: InventoryDep) -> dict[str, int]:
    """Load Postgres's truth into Redis (sold counts, sold seats, pinned holds)."""
    return asdict(await rebuild(inv))


@router.get("/v1/admin/inventory/reconciliation", tags=["admin"])
async def reconciliation(
    _: Admin,
    inv: InventoryDep,
    performance_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
) -> dict[str, Any]:
    """Differences between Redis and Postgres and between sold and capacity (all should be 0):
    every scheduled performance, or the one named by ``performance_id``."""
    return await reconcile(inv, performance_id)
