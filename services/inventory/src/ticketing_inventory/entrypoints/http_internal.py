"""Internal API for the orders service, and the operator's Redis maintenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.domain.holds import Hold, Refused
from ticketing_inventory.entrypoints import maintenance
from ticketing_inventory.entrypoints.deps import Admin, InventoryDep
from ticketing_inventory.entrypoints.http_holds import hold_out, refusal
from ticketing_inventory.entrypoints.schemas import (
    PinIn,
    PinnedHoldOut,
    PricedLineOut,
    SeatLabelOut,
)
from ticketing_runtime.fields import ID_PATTERN, PathId, QueryId
from ticketing_runtime.identity import Identity, require_service
from ticketing_runtime.problems import Problem

router = APIRouter()
OrdersService = Annotated[Identity, Depends(require_service("orders"))]


@router.post("/internal/holds/{hold_id}/pin", response_model=PinnedHoldOut, tags=["internal"])
async def pin_hold(
    hold_id: PathId, body: PinIn, _: OrdersService, inv: InventoryDep
) -> PinnedHoldOut:
    """Keep a hold of ``session_id`` for an order until its payment deadline, durably (Postgres
    too), and price it. Pinning again for the same order answers the same."""
    found = await inv.holds.get(hold_id)
    if found is None or found.session_id != body.session_id:
        raise Problem(404, "hold-not-found", f"no hold {hold_id!r} in this session")
    pinned = await inv.holds.pin(hold_id, body.order_id, int(body.until.timestamp() * 1000))
    if isinstance(pinned, Refused):
        raise refusal(pinned)
    async with inv.database.unit_of_work() as uow:
        await sales.pin(uow.session, pinned, body.until)
        answer = await _priced_from_catalogue(uow.session, pinned)
        await uow.commit()
    return answer


@router.get("/internal/holds/{hold_id}", response_model=PinnedHoldOut, tags=["internal"])
async def priced_hold(
    hold_id: PathId, session_id: QueryId, _: OrdersService, inv: InventoryDep
) -> PinnedHoldOut:
    """A hold of ``session_id`` priced, without pinning it (orders checks a coupon first)."""
    found = await inv.holds.get(hold_id)
    if found is None or found.session_id != session_id:
        raise Problem(404, "hold-not-found", f"no hold {hold_id!r} in this session")
    async with inv.database.unit_of_work() as uow:
        return await _priced_from_catalogue(uow.session, found)


async def _priced_from_catalogue(session: AsyncSession, hold: Hold) -> PinnedHoldOut:
    performance = await catalogue.get_performance(session, hold.performance_id)
    assert performance is not None  # a hold exists only for a known performance
    tiers = {
        t["tier_id"]: t for t in await catalogue.performance_tiers(session, hold.performance_id)
    }
    place = await catalogue.printed_place(session, hold.performance_id)
    labels = await catalogue.seat_labels(session, [s for x in hold.lines for s in x.seat_ids])
    return priced(hold, {**performance, **place}, tiers, labels)


def priced(
    hold: Hold,
    performance: dict[str, Any],
    tiers: dict[str, dict[str, Any]],
    labels: dict[str, dict[str, Any]],
) -> PinnedHoldOut:
    out = hold_out(hold)
    return PinnedHoldOut(
        **out.model_dump(exclude={"lines"}),
        lines=[
            PricedLineOut(
                **line.model_dump(),
                tier_name=tiers[line.tier_id]["name"],
                unit_price=tiers[line.tier_id]["price_amount"],
                currency=tiers[line.tier_id]["currency"],
                seats=[SeatLabelOut(**labels[s]) for s in line.seat_ids if s in labels],
            )
            for line in out.lines
        ],
        event_id=performance["event_id"],
        event_name=performance["event_name"],
        starts_at=performance["starts_at"],
        time_zone=performance["time_zone"],
        venue_name=performance["venue_name"],
        venue_address=performance["venue_address"],
    )


@router.post("/v1/admin/inventory/rebuild", tags=["admin"])
async def rebuild_redis(_: Admin, inv: InventoryDep) -> dict[str, int]:
    """Load Postgres's truth into Redis (sold counts, sold seats, pinned holds)."""
    return await maintenance.rebuild(inv)


@router.get("/v1/admin/inventory/reconciliation", tags=["admin"])
async def reconciliation(
    _: Admin,
    inv: InventoryDep,
    performance_id: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
) -> dict[str, Any]:
    """Differences between Redis and Postgres and between sold and capacity (all should be 0):
    every scheduled performance, or the one named by ``performance_id``."""
    return await maintenance.reconcile(inv, performance_id)
