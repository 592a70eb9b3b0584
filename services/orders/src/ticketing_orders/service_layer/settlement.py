"""An order paid: tickets issued and ``order.paid`` announced, in one transaction (invariant 2);
and what payments tells orders on the way (the intent, a failed attempt, a refund's outcome)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.errors import OrderNotFound
from ticketing_orders.domain.model import Order
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import RefundStatus
from ticketing_orders.service_layer.commands import (
    LearnLateIntent,
    RecordIntent,
    RecordPaymentFailure,
    SettlePayment,
    SettleRefund,
)
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.refunding import refund_unwanted_payment
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceUnavailable

log = logging.getLogger(__name__)


async def settle_payment(orders: Orders, uow: UnitOfWork, command: SettlePayment) -> None:
    """A payment succeeded: the order is paid, or (cancelled meanwhile) the money goes back.
    An unknown order raises ``OrderNotFound`` (the message is retried, then parked)."""
    order = await repo.get(uow.session, command.order_id, lock=True)
    if order is None:
        raise OrderNotFound(f"payment for unknown order {command.order_id}")
    if not await settle(orders, uow, order, command.payment_intent_id):
        await refund_unwanted_payment(uow, order, "the order was cancelled before payment")


async def settle(orders: Orders, uow: UnitOfWork, order: Order, payment_intent_id: str) -> bool:
    """Paid with every ticket, once whatever repeats; ``False`` when the order cannot be paid
    (cancelled: the caller refunds). ``order`` is locked by the caller."""
    if order.is_settled:
        return True
    if order.status is OrderStatus.CANCELLED:
        return False
    paid = order.mark_paid(
        payment_intent_id=payment_intent_id,
        now=datetime.now(UTC),
        ticket_key=orders.ticket_key,
        new_ticket_id=lambda: new_id("tkt"),
    )
    await repo.save(uow.session, order)
    await coupons.redeem(uow.session, order.order_id)
    await uow.publish(paid)
    return True


async def learn_late_intent(orders: Orders, uow: UnitOfWork, command: LearnLateIntent) -> None:
    """Payments created the intent late (``payments.intent.created``): the browser confirms with
    its client secret, which no event carries (other teams' subscribers must never see it), so
    it is asked of payments. Without it the order would look payable and never be: any answer
    but the secret raises ``ServiceUnavailable`` and the message is retried (parked in the end)."""
    path = f"/internal/payment-intents/{command.order_id}"
    answer = await orders.payments.request("GET", path)
    if answer.status_code != 200:
        raise ServiceUnavailable(f"GET {path}: payments answered {answer.status_code}")
    secret = answer.json().get("client_secret")
    await record_intent(uow, RecordIntent(command.order_id, command.payment_intent_id, secret))


async def record_intent(uow: UnitOfWork, command: RecordIntent) -> None:
    """The intent payments created later (Stripe was slow): the order becomes payable."""
    order = await repo.get(uow.session, command.order_id, lock=True)
    if order is not None and order.payment_intent_id is None:
        order.record_intent(command.payment_intent_id, command.client_secret)
        await repo.save(uow.session, order)


async def record_payment_failure(uow: UnitOfWork, command: RecordPaymentFailure) -> None:
    """A declined attempt, while the order waits for its payment (a decline heard after another
    card paid says nothing about the order any more)."""
    order = await repo.get(uow.session, command.order_id, lock=True)
    if order is not None and order.status is OrderStatus.PENDING_PAYMENT:
        order.record_payment_failure(command.reason)
        await repo.save(uow.session, order)


async def settle_refund(uow: UnitOfWork, command: SettleRefund) -> None:
    """Stripe's answer to a refund, recorded once."""
    if command.succeeded:
        await refunds.settle(
            uow.session,
            command.refund_id,
            RefundStatus.SUCCEEDED,
            stripe_refund_id=command.stripe_refund_id,
        )
        return
    log.error(
        "refund %s of order %s failed: %s", command.refund_id, command.order_id, command.error
    )
    await refunds.settle(uow.session, command.refund_id, RefundStatus.FAILED, error=command.error)
