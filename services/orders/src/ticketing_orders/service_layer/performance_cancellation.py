"""A performance was cancelled (inventory): nobody keeps money or a ticket for a show that will
not happen. Orders waiting for their payment are cancelled (the hold goes back, the intent is
cancelled); orders paid by card are refunded in full, automatically, and the customer is told
why. Box-office sales paid at the desk are left to the desk: their money is in its till, so it
goes back when the customer comes (a staff refund), not by itself; ``order.refund_owed`` tells
the customer (and any subscriber) to come."""

from __future__ import annotations

import logging

from ticketing_orders.adapters import door_repository as door
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import AUTOMATIC_KEYS, NothingToRefund, RefundCause
from ticketing_orders.service_layer.cancellation import cancel_unpaid
from ticketing_orders.service_layer.commands import GiveBackCancelledPerformance, RefundOrder
from ticketing_orders.service_layer.refunding import refund_order
from ticketing_runtime.database import UnitOfWork

log = logging.getLogger(__name__)

REASON = "the performance was cancelled"
_UNPAID = (OrderStatus.PENDING_PAYMENT,)
_PAID = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)


async def give_back_cancelled_performance(
    uow: UnitOfWork, command: GiveBackCancelledPerformance
) -> None:
    """In the message's unit of work: all of the performance's orders or none, and a redelivery
    finds them cancelled or refunded already (the refund's key is the same)."""
    await door.mark_cancelled(uow.session, command.performance_id)
    cancelled = refunded = at_desk = 0
    for order in await repo.of_performance(uow.session, command.performance_id, _UNPAID + _PAID):
        if order.status in _UNPAID:
            await cancel_unpaid(uow, order, REASON, performance_cancelled=True)
            cancelled += 1
            continue
        if order.payment_method is not None:  # the money is in the till: the desk gives it back
            owed = (order.total_amount or 0) - await refunds.committed_amount(
                uow.session, order.order_id
            )
            await uow.publish(order.owe_desk_refund(max(owed, 0), REASON))
            at_desk += 1
            continue
        refund = RefundOrder(
            order_id=order.order_id,
            ticket_ids=None,
            amount=None,
            reason=REASON,
            requested_by=None,
            idempotency_key=AUTOMATIC_KEYS[RefundCause.PERFORMANCE_CANCELLED],
            show_cancelled=True,
        )
        try:
            await refund_order(uow, refund)
            refunded += 1
        except NothingToRefund:  # every ticket was used and the money given back already
            log.info("order %s: nothing left to refund", order.order_id)
    log.info(
        "performance %s cancelled: %d unpaid orders cancelled, %d refunded, %d paid at the desk",
        command.performance_id,
        cancelled,
        refunded,
        at_desk,
    )
