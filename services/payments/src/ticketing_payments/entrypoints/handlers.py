"""Events payments consumes: a placed order gets its intent; a dead order's intent is cancelled."""

from __future__ import annotations

from ticketing_contracts import OrderCancelledV1, OrderExpiredV1, OrderPlacedV1, OrderRefundedV1
from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters import refunds_repository
from ticketing_payments.domain.payment import IntentStatus
from ticketing_payments.entrypoints.deps import Payments
from ticketing_payments.entrypoints.refunds import try_refund
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer, pay: Payments) -> None:
    @consumer.handles(OrderPlacedV1)
    async def on_order_placed(delivery: Delivery[OrderPlacedV1]) -> None:
        """Orders asked inline; this makes sure of it even if payments was down then."""
        placed = delivery.event
        if placed.total.amount == 0 or placed.payment_method is not None:
            return  # a free order, or one paid at the box office: nothing to charge
        await repo.ensure_intent(
            delivery.uow.session,
            order_id=placed.order_id,
            amount=placed.total.amount,
            currency=placed.total.currency,
            customer_email=placed.customer.email,
            description=f"Order {placed.order_number}",
        )

    @consumer.handles(OrderRefundedV1)
    async def on_order_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        """Inline when Stripe answers; otherwise the retry loop carries on (the row is kept)."""
        refunded = delivery.event
        if refunded.payment_method is not None:
            return  # a box-office sale: the money went back at the desk
        row = await refunds_repository.ensure_refund(
            delivery.uow.session,
            refund_id=refunded.refund_id,
            order_id=refunded.order_id,
            amount=refunded.amount.amount,
            currency=refunded.amount.currency,
        )
        await try_refund(pay, delivery.uow, row)

    @consumer.handles(OrderExpiredV1)
    async def on_order_expired(delivery: Delivery[OrderExpiredV1]) -> None:
        await cancel_intent(pay, delivery, delivery.event.order_id)

    @consumer.handles(OrderCancelledV1)
    async def on_order_cancelled(delivery: Delivery[OrderCancelledV1]) -> None:
        await cancel_intent(pay, delivery, delivery.event.order_id)


async def cancel_intent(
    pay: Payments, delivery: Delivery[OrderExpiredV1] | Delivery[OrderCancelledV1], order_id: str
) -> None:
    """No more payment for a dead order (Stripe down: raised, so the delivery is retried)."""
    session = delivery.uow.session
    row = await repo.get_intent(session, order_id, lock=True)
    if row is None or row["status"] not in (IntentStatus.CREATING, IntentStatus.OPEN):
        return
    if row["stripe_intent_id"] is not None:
        status = await pay.stripe.cancel_intent(row["stripe_intent_id"])
        if status == "succeeded":
            return  # paid at the last moment: orders handles the late payment
    await repo.move(session, order_id, IntentStatus.CANCELED, unless={IntentStatus.SUCCEEDED})
