"""Events orders consumes: payments' outcomes, inventory refusing a late sale or cancelling a
performance. Each handler
turns its message into a command for the service layer, in the delivery's unit of work."""

from __future__ import annotations

from ticketing_contracts import (
    InventoryCommitRejectedV1,
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentRefundedV1,
    PaymentRefundFailedV1,
    PaymentSucceededV1,
    PerformanceCancelledV1,
)
from ticketing_orders.service_layer import refunding, settlement
from ticketing_orders.service_layer.commands import (
    GiveBackCancelledPerformance,
    LearnLateIntent,
    RecordPaymentFailure,
    RejectLateSale,
    SettlePayment,
    SettleRefund,
)
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.performance_cancellation import (
    give_back_cancelled_performance,
)
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer, orders: Orders) -> None:
    @consumer.handles(PaymentSucceededV1)
    async def on_payment_succeeded(delivery: Delivery[PaymentSucceededV1]) -> None:
        paid = delivery.event
        command = SettlePayment(paid.order_id, paid.payment_intent_id)
        await settlement.settle_payment(orders, delivery.uow, command)

    @consumer.handles(PaymentFailedV1)
    async def on_payment_failed(delivery: Delivery[PaymentFailedV1]) -> None:
        failed = delivery.event
        command = RecordPaymentFailure(failed.order_id, failed.reason)
        await settlement.record_payment_failure(delivery.uow, command)

    @consumer.handles(PaymentIntentCreatedV1)
    async def on_intent_created(delivery: Delivery[PaymentIntentCreatedV1]) -> None:
        created = delivery.event
        command = LearnLateIntent(created.order_id, created.payment_intent_id)
        await settlement.learn_late_intent(orders, delivery.uow, command)

    @consumer.handles(InventoryCommitRejectedV1)
    async def on_sale_rejected(delivery: Delivery[InventoryCommitRejectedV1]) -> None:
        rejected = delivery.event
        command = RejectLateSale(
            rejected.order_id, rejected.reason, performance_cancelled=rejected.performance_cancelled
        )
        await refunding.refund_rejected_sale(delivery.uow, command)

    @consumer.handles(PerformanceCancelledV1)
    async def on_performance_cancelled(delivery: Delivery[PerformanceCancelledV1]) -> None:
        command = GiveBackCancelledPerformance(delivery.event.performance_id)
        await give_back_cancelled_performance(delivery.uow, command)

    @consumer.handles(PaymentRefundedV1)
    async def on_refunded(delivery: Delivery[PaymentRefundedV1]) -> None:
        done = delivery.event
        command = SettleRefund(
            done.refund_id, done.order_id, succeeded=True, stripe_refund_id=done.stripe_refund_id
        )
        await settlement.settle_refund(delivery.uow, command)

    @consumer.handles(PaymentRefundFailedV1)
    async def on_refund_failed(delivery: Delivery[PaymentRefundFailedV1]) -> None:
        failed = delivery.event
        command = SettleRefund(
            failed.refund_id, failed.order_id, succeeded=False, error=failed.reason
        )
        await settlement.settle_refund(delivery.uow, command)
