"""Events orders consumes: payments' outcomes, and inventory refusing a late sale."""

from __future__ import annotations

import logging

from ticketing_contracts import (
    InventoryCommitRejectedV1,
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentRefundedV1,
    PaymentRefundFailedV1,
    PaymentSucceededV1,
)
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import RefundRefused, RefundStatus
from ticketing_orders.entrypoints.deps import Orders
from ticketing_orders.entrypoints.refunding import refund_order, refund_unwanted_payment
from ticketing_orders.entrypoints.settlement import settle_paid
from ticketing_runtime.consumer import Delivery, EventConsumer

log = logging.getLogger(__name__)


def register(consumer: EventConsumer, orders: Orders) -> None:
    @consumer.handles(PaymentSucceededV1)
    async def on_payment_succeeded(delivery: Delivery[PaymentSucceededV1]) -> None:
        paid, uow = delivery.event, delivery.uow
        if not await settle_paid(orders, uow, paid.order_id, paid.payment_intent_id):
            order = await repo.get(uow.session, paid.order_id)
            assert order is not None
            await refund_unwanted_payment(uow, order, "the order was cancelled before payment")

    @consumer.handles(PaymentFailedV1)
    async def on_payment_failed(delivery: Delivery[PaymentFailedV1]) -> None:
        failed = delivery.event
        await repo.update_order(
            delivery.uow.session,
            failed.order_id,
            payment_status="failed",
            payment_error=failed.reason,
        )

    @consumer.handles(PaymentIntentCreatedV1)
    async def on_intent_created(delivery: Delivery[PaymentIntentCreatedV1]) -> None:
        created = delivery.event
        # the browser confirms with the client secret, which no event carries (subscribers of
        # other teams must never see it): ask payments for it (unavailable: the message retries)
        answer = await orders.payments.request(
            "GET", f"/internal/payment-intents/{created.order_id}"
        )
        secret = answer.json().get("client_secret") if answer.status_code == 200 else None
        order = await repo.get(delivery.uow.session, created.order_id, lock=True)
        if order is not None and order["payment_intent_id"] is None:
            await repo.update_order(
                delivery.uow.session,
                created.order_id,
                payment_intent_id=created.payment_intent_id,
                client_secret=secret,
                payment_status="open",
            )

    @consumer.handles(InventoryCommitRejectedV1)
    async def on_sale_rejected(delivery: Delivery[InventoryCommitRejectedV1]) -> None:
        await refund_rejected_sale(delivery)

    @consumer.handles(PaymentRefundedV1)
    async def on_refunded(delivery: Delivery[PaymentRefundedV1]) -> None:
        done = delivery.event
        await refunds.settle(
            delivery.uow.session,
            done.refund_id,
            RefundStatus.SUCCEEDED,
            stripe_refund_id=done.stripe_refund_id,
        )

    @consumer.handles(PaymentRefundFailedV1)
    async def on_refund_failed(delivery: Delivery[PaymentRefundFailedV1]) -> None:
        failed = delivery.event
        log.error(
            "refund %s of order %s failed: %s", failed.refund_id, failed.order_id, failed.reason
        )
        await refunds.settle(
            delivery.uow.session, failed.refund_id, RefundStatus.FAILED, error=failed.reason
        )


async def refund_rejected_sale(delivery: Delivery[InventoryCommitRejectedV1]) -> None:
    """A late payment whose seats were sold meanwhile: never tickets without seats, never money
    without tickets. Everything still valid is refunded, automatically."""
    rejected, uow = delivery.event, delivery.uow
    order = await repo.get(uow.session, rejected.order_id)
    if order is None or OrderStatus(order["status"]) is not OrderStatus.PAID:
        return  # refunded already (a redelivery), or never paid
    try:
        await refund_order(
            uow,
            rejected.order_id,
            ticket_ids=None,
            amount=None,
            reason=f"paid after the hold expired and its seats were sold: {rejected.reason}",
            requested_by=None,
            automatic=True,
            idempotency_key="sale-rejected",
        )
    except RefundRefused as exc:
        log.error("order %s: automatic refund refused: %s", rejected.order_id, exc.detail)
        raise
