"""Events payments consumes, each made a command: a placed order gets its intent, a refunded one
its refund, a dead order's intent is cancelled, an erased customer's address is forgotten."""

from __future__ import annotations

from ticketing_contracts import (
    OrderCancelledV1,
    OrderCustomerErasedV1,
    OrderExpiredV1,
    OrderPlacedV1,
    OrderRefundedV1,
)
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.intents import (
    CancelIntent,
    ChargeOrder,
    CreateIntent,
    cancel_intent,
    charge_order,
)
from ticketing_payments.service_layer.personal_data import ForgetCustomer, forget_customer
from ticketing_payments.service_layer.refunds import RefundPayment, refund_payment
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer, pay: Payments) -> None:
    @consumer.handles(OrderPlacedV1)
    async def on_order_placed(delivery: Delivery[OrderPlacedV1]) -> None:
        """Orders asked inline; this makes sure of it even if payments was down then."""
        placed = delivery.event
        intent = CreateIntent(
            order_id=placed.order_id,
            amount=placed.total.amount,
            currency=placed.total.currency,
            customer_email=placed.customer.email,
            description=f"Order {placed.order_number}",
        )
        await charge_order(delivery.uow, ChargeOrder(intent, placed.payment_method is not None))

    @consumer.handles(OrderRefundedV1)
    async def on_order_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        refunded = delivery.event
        command = RefundPayment(
            refund_id=refunded.refund_id,
            order_id=refunded.order_id,
            amount=refunded.amount.amount,
            currency=refunded.amount.currency,
            paid_elsewhere=refunded.payment_method is not None,
        )
        await refund_payment(pay, delivery.uow, command)

    @consumer.handles(OrderExpiredV1)
    async def on_order_expired(delivery: Delivery[OrderExpiredV1]) -> None:
        await cancel_intent(pay, delivery.uow, CancelIntent(delivery.event.order_id))

    @consumer.handles(OrderCancelledV1)
    async def on_order_cancelled(delivery: Delivery[OrderCancelledV1]) -> None:
        await cancel_intent(pay, delivery.uow, CancelIntent(delivery.event.order_id))

    @consumer.handles(OrderCustomerErasedV1)
    async def on_customer_erased(delivery: Delivery[OrderCustomerErasedV1]) -> None:
        await forget_customer(pay, delivery.uow, ForgetCustomer(delivery.event.order_id))
