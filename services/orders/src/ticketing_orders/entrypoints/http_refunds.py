"""Refunds, for staff: full, by ticket, or by amount."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.schemas import RefundIn, RefundOut, RefundPaidBackIn
from ticketing_orders.entrypoints.views import refund_out
from ticketing_orders.service_layer.commands import RefundOrder
from ticketing_orders.service_layer.reading import staff_order
from ticketing_orders.service_layer.refunding import (
    SettleFailedRefund,
    request_refund,
    settle_failed_refund,
)
from ticketing_runtime.fields import OptionalIdempotencyKey, PathId

router = APIRouter(prefix="/v1/orders/{order_id}/refunds", tags=["refunds"])


@router.post("", status_code=201, response_model=RefundOut)
async def create_refund(
    order_id: PathId,
    body: RefundIn,
    staff: Staff,
    orders: OrdersDep,
    response: Response,
    idempotency_key: OptionalIdempotencyKey = None,
) -> RefundOut:
    """Void the tickets at once (the door refuses them) and return the money through Stripe;
    the refund's ``status`` follows Stripe's answer (``failed`` with the ``error`` if refused).
    With an ``Idempotency-Key`` a repeated request answers the first refund (200)."""
    command = RefundOrder(
        order_id=order_id,
        ticket_ids=body.ticket_ids,
        amount=body.amount,
        reason=body.reason,
        requested_by=staff,
        idempotency_key=idempotency_key,
    )
    refund, created = await request_refund(orders, command)
    if not created:
        response.status_code = 200
    return refund_out(refund)


@router.post("/{refund_id}/paid-back", response_model=RefundOut)
async def refund_paid_back(
    order_id: PathId, refund_id: PathId, body: RefundPaidBackIn, staff: Staff, orders: OrdersDep
) -> RefundOut:
    """A refund Stripe failed, paid back another way: it counts as succeeded, with Stripe's
    error and the note in its ``error`` and in the audit log. Only a ``failed`` refund (409).
    ``from_till``: the money came out of the clerk's desk till, which counts it."""
    command = SettleFailedRefund(staff, order_id, refund_id, body.note.strip(), body.from_till)
    return refund_out(await settle_failed_refund(orders, command))


@router.get("", response_model=list[RefundOut])
async def list_refunds(order_id: PathId, _: Staff, orders: OrdersDep) -> list[RefundOut]:
    async with orders.database.unit_of_work() as uow:
        await staff_order(uow.session, order_id, placing_too=True)
        return [refund_out(r) for r in await refunds.of_order(uow.session, order_id)]
