"""Refunds: tickets voided and ``order.refunded`` announced at once; payments returns the money
(and inventory the capacity) from that event."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ticketing_orders.adapters import coupons_repository
from ticketing_orders.adapters import door_repository as door
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.errors import IdempotencyKeyReused, OrderNotFound
from ticketing_orders.domain.model import Order
from ticketing_orders.domain.order import OrderStatus, request_fingerprint
from ticketing_orders.domain.refunds import (
    AUTOMATIC_KEYS,
    FailedRefundUnsettled,
    Refund,
    RefundCause,
    RefundNotFailed,
    RefundNotFound,
    RefundRefused,
    RefundStatus,
    TicketNotRefundable,
)
from ticketing_orders.service_layer.commands import RefundOrder, RejectLateSale
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id

log = logging.getLogger(__name__)


async def request_refund(orders: Orders, command: RefundOrder) -> tuple[Refund, bool]:
    """A member of staff refunds (part of) an order: ``(refund, True)`` when this call made it,
    recorded in the audit log; the earlier refund of the same key otherwise."""
    async with orders.database.unit_of_work() as uow:
        refund, created = await refund_order(uow, command)
        if created and command.requested_by is not None:
            money = {"amount": refund.amount, "currency": refund.currency}
            details = {"amount": money, "ticket_ids": refund.ticket_ids, "reason": refund.reason}
            target = ("refund", refund.refund_id)
            action, order_id = "orders.refund.created", command.order_id
            await record_action(
                uow, command.requested_by, action, order_id=order_id, target=target, details=details
            )
        await uow.commit()
    return refund, created


async def _discounted_tiers(uow: UnitOfWork, order: Order) -> frozenset[str]:
    """The tiers the order's coupon took money off (empty: every tier); a coupon in use keeps
    its tiers and is never deleted."""
    if not order.coupon_code or not order.discount_amount:
        return frozenset()
    coupon = await coupons_repository.by_code(uow.session, order.coupon_code)
    return coupon.tier_ids if coupon is not None else frozenset()


async def refund_order(uow: UnitOfWork, command: RefundOrder) -> tuple[Refund, bool]:
    """Refund (part of) a paid order; raises ``OrderNotFound`` or a ``RefundRefused``. The
    order's row lock serialises refunds of one order; a ticket scanned meanwhile refuses it."""
    order = await repo.get(uow.session, command.order_id, lock=True)
    if order is None:
        raise OrderNotFound(f"no order {command.order_id!r}")
    fingerprint = _fingerprint(command) if command.requested_by is not None else None
    if command.idempotency_key is not None:
        earlier = await refunds.by_key(uow.session, order.order_id, command.idempotency_key)
        if earlier is not None:
            if fingerprint and earlier.request_fingerprint not in (None, fingerprint):
                raise IdempotencyKeyReused(
                    "this Idempotency-Key was used for another refund of this order; use a new key"
                )
            return earlier, False
    made_before = await refunds.of_order(uow.session, order.order_id)
    if command.requested_by is not None:
        _no_failed_refund_unsettled(made_before)
    assert order.performance_id is not None
    # a clerk refunding a cancelled show's desk sale gives back a used ticket's share too
    cancelled = command.show_cancelled or await door.is_cancelled(uow.session, order.performance_id)
    plan = order.plan_refund(
        ticket_ids=command.ticket_ids,
        amount=command.amount,
        # a failed refund's money is owed by hand: never given back a second time by this one
        already_refunded=sum(r.amount for r in made_before),
        show_cancelled=cancelled,
        discounted_tiers=await _discounted_tiers(uow, order),
    )
    if await repo.void_tickets(uow.session, plan.ticket_ids) != len(plan.ticket_ids):
        raise TicketNotRefundable("a ticket was used while refunding")
    assert order.currency is not None
    await door.revoke(uow.session, order.performance_id, plan.ticket_ids, "refunded")
    refund = Refund(
        refund_id=new_id("rfd"),
        order_id=order.order_id,
        amount=plan.amount,
        currency=order.currency,
        ticket_ids=list(plan.ticket_ids),
        automatic=command.requested_by is None,
        reason=command.reason,
        requested_by=command.requested_by.subject if command.requested_by else None,
        idempotency_key=command.idempotency_key,
        request_fingerprint=fingerprint,
    )
    refunded = order.apply(plan, refund)
    await repo.save(uow.session, order)
    refund = await refunds.add(uow.session, refund)
    if order.payment_method is not None and not refund.automatic:
        # a clerk refunding a desk sale hands the money back there and then
        await refunds.settle(uow.session, refund.refund_id, RefundStatus.SUCCEEDED)
        refund.status = RefundStatus.SUCCEEDED
    elif order.payment_method is not None:
        # refunded by itself, its money in a till: owed until staff give it back and say so
        # (the failed refunds staff settle by hand), never counted as given back
        await refunds.settle(uow.session, refund.refund_id, RefundStatus.FAILED, error=DESK_OWES)
        refund.status, refund.error = RefundStatus.FAILED, DESK_OWES
    _log(order, refund)
    await uow.publish(refunded)
    return refund, True


#: why an automatic refund of a desk sale is not done by itself
DESK_OWES = "paid at the box office: give the money back there, then record it as paid back"


@dataclass(frozen=True)
class SettleFailedRefund:
    staff: Identity
    order_id: str
    refund_id: str
    note: str  # how the money went back
    from_till: str | None = None  # cash or card_terminal: out of the clerk's desk till


async def settle_failed_refund(orders: Orders, command: SettleFailedRefund) -> Refund:
    """Staff paid a failed refund back another way: it counts as succeeded (the failed-refunds
    gauge no longer counts it), audited with Stripe's error and the note. Committed."""
    async with orders.database.unit_of_work() as uow:
        found = await refunds.of_order(uow.session, command.order_id)
        refund = next((r for r in found if r.refund_id == command.refund_id), None)
        if refund is None:
            raise RefundNotFound(f"order {command.order_id!r} has no refund {command.refund_id!r}")
        stripe_error = refund.paid_back_by_hand(
            command.staff.subject, command.note, datetime.now(UTC), command.from_till
        )
        if not await refunds.save_paid_back(uow.session, refund):
            raise RefundNotFailed(f"refund {command.refund_id} was settled meanwhile")
        await record_action(
            uow,
            command.staff,
            "orders.refund.paid_back_by_hand",
            order_id=command.order_id,
            target=("refund", command.refund_id),
            details={"stripe_error": stripe_error, "note": command.note}
            | ({"from_till": command.from_till} if command.from_till else {}),
        )
        await uow.commit()
    return refund


def _fingerprint(command: RefundOrder) -> str:
    """What was asked (not what it came to): the same request again answers the same refund."""
    tickets = sorted(command.ticket_ids) if command.ticket_ids is not None else None
    asked = {"ticket_ids": tickets, "amount": command.amount, "reason": command.reason}
    return request_fingerprint(asked)


async def refund_unwanted_payment(uow: UnitOfWork, order: Order, reason: str) -> None:
    """Money for an order that can no longer be sold (cancelled before the payment landed):
    all of it goes back, automatically, and the customer is told."""
    key = AUTOMATIC_KEYS[RefundCause.UNWANTED_PAYMENT]
    if await refunds.by_key(uow.session, order.order_id, key) is not None:
        return
    assert order.currency is not None
    refund = Refund(
        refund_id=new_id("rfd"),
        order_id=order.order_id,
        amount=order.total_amount or 0,
        currency=order.currency,
        ticket_ids=[],
        automatic=True,
        reason=reason,
        idempotency_key=key,
    )
    refund = await refunds.add(uow.session, refund)
    _log(order, refund)
    returned = order.return_unwanted_payment(refund)
    await repo.save(uow.session, order)
    await uow.publish(returned)


async def refund_rejected_sale(uow: UnitOfWork, command: RejectLateSale) -> None:
    """A late payment whose seats were sold meanwhile, or a payment landing as its performance
    is cancelled: never tickets without seats, never money without tickets. Everything still
    valid is refunded, automatically."""
    order = await repo.get(uow.session, command.order_id)
    if order is None or order.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED):
        return  # refunded already (a redelivery), or never paid
    if order.payment_method is not None and command.performance_cancelled:
        # a desk sale made as its show was cancelled: as the cancellation does for the others,
        # the desk owes the money back in person (the customer is told to come)
        owed = (order.total_amount or 0) - await refunds.committed_amount(
            uow.session, order.order_id
        )
        await uow.publish(order.owe_desk_refund(max(owed, 0), "the performance was cancelled"))
        return
    refund = RefundOrder(
        order_id=command.order_id,
        ticket_ids=None,
        amount=None,
        reason=f"inventory could not sell the seats: {command.reason}",
        requested_by=None,
        idempotency_key=AUTOMATIC_KEYS[
            RefundCause.PERFORMANCE_CANCELLED
            if command.performance_cancelled
            else RefundCause.LATE_PAYMENT
        ],
        show_cancelled=command.performance_cancelled,
    )
    try:
        await refund_order(uow, refund)
    except RefundRefused as exc:
        log.error("order %s: automatic refund refused: %s", command.order_id, exc.detail)
        raise


def _no_failed_refund_unsettled(refunds_of_order: Sequence[Refund]) -> None:
    """A staff refund waits for a failed one of the order to be settled (paid back another way
    and recorded): refunded again meanwhile, its money could also be paid back by hand, twice.
    Automatic refunds (a cancelled performance, a late payment) never wait: they leave the
    failed one's money out."""
    for earlier in refunds_of_order:
        if earlier.status is RefundStatus.FAILED:
            money = f"{earlier.amount} {earlier.currency} (minor units)"
            raise FailedRefundUnsettled(
                f"refund {earlier.refund_id} of {money} failed ({earlier.error}): give that"
                " money back another way and record it as paid back, then refund more"
            )


def _log(order: Order, refund: Refund) -> None:
    log.info("order %s: refund %s of %s", order.order_id, refund.refund_id, refund.amount)
