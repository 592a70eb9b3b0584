"""Holds: a customer session holds units or seats while checking out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ticketing_contracts import HoldReleasedV1
from ticketing_inventory.adapters.sale_terms import SaleTerms
from ticketing_inventory.domain.catalogue import NotOnSale, check_on_sale
from ticketing_inventory.domain.holds import Hold, Refusal, Refused
from ticketing_inventory.entrypoints.deps import Inventory, InventoryDep
from ticketing_inventory.entrypoints.schemas import HoldIn, HoldLineOut, HoldOut
from ticketing_runtime.identity import Identity, current_identity
from ticketing_runtime.ids import new_id
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/holds", tags=["holds"])

_STATUS = {
    Refusal.NOT_ENOUGH_LEFT: 409,
    Refusal.SEAT_TAKEN: 409,
    Refusal.NO_SEATS_TOGETHER: 409,
    Refusal.OVER_MAX_PER_ORDER: 422,
    Refusal.UNKNOWN_TIER: 422,
    Refusal.UNKNOWN_SEAT: 422,
    Refusal.HOLD_NOT_FOUND: 404,
    Refusal.HOLD_EXPIRED: 410,
    Refusal.ALREADY_EXTENDED: 409,
    Refusal.HOLD_NOT_ACTIVE: 409,
    Refusal.STALE_TERMS: 503,
    Refusal.TOO_MANY_HOLDS: 429,
}


async def customer(identity: Annotated[Identity, Depends(current_identity)]) -> Identity:
    if identity.kind != "customer":
        raise Problem(403, "forbidden", "holds belong to customer sessions (POST /v1/sessions)")
    return identity


Customer = Annotated[Identity, Depends(customer)]


def refusal(refused: Refused) -> Problem:
    extra: dict[str, Any] = {}
    if refused.available is not None:
        extra["available"] = refused.available
    if refused.taken_seats:
        extra["taken_seats"] = list(refused.taken_seats)
    if refused.retry_after_ms is not None:
        extra["retry_after_s"] = max(1, -(-refused.retry_after_ms // 1000))
    return Problem(_STATUS[refused.reason], refused.reason.value, refused.detail, **extra)


def hold_out(hold: Hold) -> HoldOut:
    return HoldOut(
        hold_id=hold.hold_id,
        performance_id=hold.performance_id,
        status=hold.status.value,
        lines=[
            HoldLineOut(tier_id=line.tier_id, quantity=line.quantity, seat_ids=list(line.seat_ids))
            for line in hold.lines
        ],
        quantity=hold.quantity,
        expires_at=hold.expires_at,
        extended=hold.extended,
        contiguous=hold.contiguous,
    )


@router.post("", status_code=201, response_model=HoldOut)
async def place_hold(body: HoldIn, who: Customer, inv: InventoryDep) -> HoldOut:
    """General admission (``tiers``), chosen ``seats``, or ``best_available`` seats together.
    (Served by ``HoldPlacementFastPath`` in front of the router: this route documents it.)"""
    return await hold_for(inv, who, body)


async def hold_for(inv: Inventory, who: Identity, body: HoldIn) -> HoldOut:
    """Place the hold ``body`` asks for, or raise the ``Problem`` saying why not."""
    terms = await inv.terms.for_placement(body.performance_id)
    for _ in range(2):
        if terms is None:
            raise Problem(404, "unknown-performance", f"no performance {body.performance_id!r}")
        try:
            check_on_sale(terms.window, datetime.now(UTC))
        except NotOnSale as exc:
            raise Problem(409, exc.code, exc.detail) from exc
        result = await _placed(inv, who, body, terms)
        if not (isinstance(result, Refused) and result.reason is Refusal.STALE_TERMS):
            if isinstance(result, Refused):
                raise refusal(result)
            return hold_out(result)
        terms = await inv.terms.for_placement(body.performance_id, fresh=True)
    raise Problem(503, "terms-changing", "this performance's sale terms are changing; retry")


async def _placed(inv: Inventory, who: Identity, body: HoldIn, terms: SaleTerms) -> Hold | Refused:
    place = (body.performance_id, who.subject, new_id("hld"))
    ttl_ms, limit, guard = terms.hold_ttl_s * 1000, terms.max_per_order, terms.raw
    if body.tiers:
        lines = [(line.tier_id, line.quantity) for line in body.tiers]
        return await inv.holds.place_ga(*place, lines, ttl_ms, limit, terms_guard=guard)
    if body.seats:
        return await inv.holds.place_seats(*place, body.seats, ttl_ms, limit, terms_guard=guard)
    assert body.best_available is not None
    wanted = body.best_available
    return await inv.holds.place_best_available(
        *place, wanted.quantity, wanted.tier_id, ttl_ms, limit, terms_guard=guard
    )


@router.get("/{hold_id}", response_model=HoldOut)
async def read_hold(hold_id: str, who: Customer, inv: InventoryDep) -> HoldOut:
    hold = await inv.holds.get(hold_id)
    if hold is None or hold.session_id != who.subject:
        raise Problem(404, "hold-not-found", f"no hold {hold_id!r} in this session")
    return hold_out(hold)


@router.post("/{hold_id}/extend", response_model=HoldOut)
async def extend_hold(hold_id: str, who: Customer, inv: InventoryDep) -> HoldOut:
    """Once per hold, by the performance's hold TTL, while it is still held."""
    hold = await inv.holds.get(hold_id)
    if hold is None or hold.session_id != who.subject:
        raise Problem(404, "hold-not-found", f"no hold {hold_id!r} in this session")
    terms = await inv.terms.get(hold.performance_id)
    ttl_ms = (terms.hold_ttl_s if terms else 600) * 1000
    result = await inv.holds.extend(hold_id, who.subject, ttl_ms)
    if isinstance(result, Refused):
        raise refusal(result)
    return hold_out(result)


@router.delete("/{hold_id}", response_model=HoldOut)
async def release_hold(hold_id: str, who: Customer, inv: InventoryDep) -> HoldOut:
    result = await inv.holds.release(hold_id, who.subject)
    if isinstance(result, Refused):
        raise refusal(result)
    async with inv.database.unit_of_work() as uow:
        await uow.publish(
            HoldReleasedV1(hold_id=hold_id, performance_id=result.performance_id, reason="customer")
        )
        await uow.commit()
    return hold_out(result)
