"""Refunds: tickets voided and ``order.refunded`` announced at once; payments returns the money
(and inventory the capacity) from that event."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ticketing_contracts import Money, OrderRefundedV1
from ticketing_orders.adapters import door_repository as door
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.order import OrderStatus, transition
from ticketing_orders.domain.refunds import RefundRefused, RefundStatus, SoldTicket, plan_refund
from ticketing_orders.entrypoints.views import customer_of
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id

log = logging.getLogger(__name__)


async def refund_order(
    uow: UnitOfWork,
    order_id: str,
    *,
    ticket_ids: Sequence[str] | None,
    amount: int | None,
    reason: str | None,
    requested_by: str | None,
    automatic: bool = False,
    idempotency_key: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Refund (part of) a paid order: ``(refund, True)`` when this call made it, the earlier
    refund of the same key otherwise; raises ``LookupError`` or ``RefundRefused``. The order's
    row lock serialises refunds of one order; a ticket scanned meanwhile refuses the refund."""
    order = await repo.get(uow.session, order_id, lock=True)
    if order is None:
        raise LookupError(order_id)
    if idempotency_key is not None:
        earlier = await refunds.by_key(uow.session, order_id, idempotency_key)
        if earlier is not None:
            return earlier, False
    sold = await repo.tickets_of(uow.session, order_id)
    plan = plan_refund(
        status=OrderStatus(order["status"]),
        total=order["total_amount"],
        already_refunded=await refunds.committed_amount(uow.session, order_id),
        tickets=[SoldTicket(t["ticket_id"], t["status"], t["unit_price"]) for t in sold],
        ticket_ids=ticket_ids,
        amount=amount,
    )
    if await repo.void_tickets(uow.session, plan.ticket_ids) != len(plan.ticket_ids):
        raise RefundRefused(409, "ticket-not-refundable", "a ticket was used while refunding")
    await door.revoke(uow.session, order["performance_id"], plan.ticket_ids, "refunded")
    new_status = transition(OrderStatus(order["status"]), plan.order_status)
    await repo.update_order(uow.session, order_id, status=new_status.value)
    refund = await refunds.add(
        uow.session,
        refund_id=new_id("rfd"),
        order_id=order_id,
        amount=plan.amount,
        currency=order["currency"],
        ticket_ids=list(plan.ticket_ids),
        automatic=automatic,
        reason=reason,
        requested_by=requested_by,
        idempotency_key=idempotency_key,
    )
    if order["payment_method"] is not None:  # a desk sale: given back at the desk, at once
        await refunds.settle(uow.session, refund["refund_id"], RefundStatus.SUCCEEDED)
        refund = {**refund, "status": RefundStatus.SUCCEEDED.value}
    await _announce(uow, order, refund, fully=new_status is OrderStatus.REFUNDED)
    return refund, True


async def refund_unwanted_payment(uow: UnitOfWork, order: dict[str, Any], reason: str) -> None:
    """Money for an order that can no longer be sold (cancelled before the payment landed):
    all of it goes back, automatically, and the customer is told."""
    if await refunds.by_key(uow.session, order["order_id"], "unwanted-payment") is not None:
        return
    refund = await refunds.add(
        uow.session,
        refund_id=new_id("rfd"),
        order_id=order["order_id"],
        amount=order["total_amount"],
        currency=order["currency"],
        ticket_ids=[],
        automatic=True,
        reason=reason,
        idempotency_key="unwanted-payment",
    )
    await _announce(uow, order, refund, fully=True)


async def _announce(
    uow: UnitOfWork, order: dict[str, Any], refund: dict[str, Any], *, fully: bool
) -> None:
    log.info("order %s: refund %s of %s", order["order_id"], refund["refund_id"], refund["amount"])
    await uow.publish(
        OrderRefundedV1(
            order_id=order["order_id"],
            performance_id=order["performance_id"],
            refund_id=refund["refund_id"],
            amount=Money(amount=refund["amount"], currency=refund["currency"]),
            voided_ticket_ids=list(refund["ticket_ids"]),
            fully_refunded=fully,
            automatic=refund["automatic"],
            customer=customer_of(order),
            reason=refund["reason"],
            payment_method=order["payment_method"],
        )
    )
