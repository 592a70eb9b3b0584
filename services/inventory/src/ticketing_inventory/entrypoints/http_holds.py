"""Holds: a customer session holds units or seats while checking out (``service_layer/holds``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header

from ticketing_inventory.domain.holds import Hold
from ticketing_inventory.entrypoints.deps import InventoryDep
from ticketing_inventory.entrypoints.schemas import HoldIn, HoldLineOut, HoldOut
from ticketing_inventory.service_layer import holds
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, current_identity
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/holds", tags=["holds"])


def may_hold(identity: Identity) -> bool:
    """Customer sessions hold; so do box-office clerks (staff), for a sale at the desk."""
    return identity.kind == "customer" or identity.handles_orders


HOLDERS_ONLY = "holds belong to customer sessions (POST /v1/sessions) or box-office staff"


async def customer(identity: Annotated[Identity, Depends(current_identity)]) -> Identity:
    if not may_hold(identity):
        raise Problem(403, "forbidden", HOLDERS_ONLY)
    return identity


Customer = Annotated[Identity, Depends(customer)]


def placement(body: HoldIn, who: Identity, idempotency_key: str | None) -> holds.PlaceHold:
    """The command a valid ``POST /v1/holds`` body asks for (the fast path's too)."""
    wanted = body.best_available
    return holds.PlaceHold(
        performance_id=body.performance_id,
        holder=who.subject,
        tiers=[(line.tier_id, line.quantity) for line in body.tiers or ()],
        seats=body.seats or (),
        best_available=holds.BestAvailable(wanted.quantity, wanted.tier_id) if wanted else None,
        at_desk=who.is_staff,
        idempotency_key=hold_request_key(idempotency_key),
    )


def hold_request_key(raw: str | None) -> str | None:
    """A placement's ``Idempotency-Key`` header, checked (the fast path reads it by hand)."""
    if raw is None:
        return None
    if not 8 <= len(raw) <= 255 or not raw.isascii() or not raw.isprintable() or " " in raw:
        raise Problem(
            422,
            "invalid-idempotency-key",
            "Idempotency-Key: 8 to 255 printable ASCII characters, no spaces (a UUID will do)",
        )
    return raw


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
async def place_hold(
    body: HoldIn,
    who: Customer,
    inv: InventoryDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="optional, 8-255 characters: a retry with the same key (its answer"
            " lost) gets the hold the first request made, not a second one; one key per hold",
        ),
    ] = None,
) -> HoldOut:
    """General admission (``tiers``), chosen ``seats``, or ``best_available`` seats together.
    (Served by ``HoldPlacementFastPath`` in front of the router: this route documents it.)"""
    return hold_out(await holds.place_hold(inv, placement(body, who, idempotency_key)))


@router.get("/{hold_id}", response_model=HoldOut)
async def read_hold(hold_id: PathId, who: Customer, inv: InventoryDep) -> HoldOut:
    return hold_out(await holds.read_hold(inv.holds, holds.OneHold(hold_id, who.subject)))


@router.post("/{hold_id}/extend", response_model=HoldOut)
async def extend_hold(hold_id: PathId, who: Customer, inv: InventoryDep) -> HoldOut:
    """Once per hold, by the performance's hold TTL, while it is still held."""
    return hold_out(await holds.extend_hold(inv, holds.OneHold(hold_id, who.subject)))


@router.delete("/{hold_id}", response_model=HoldOut)
async def release_hold(hold_id: PathId, who: Customer, inv: InventoryDep) -> HoldOut:
    return hold_out(await holds.release_hold(inv, holds.OneHold(hold_id, who.subject)))
