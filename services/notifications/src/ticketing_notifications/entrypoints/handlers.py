"""Events that owe the customer an e-mail: each becomes an ``OweEmail`` command (recorded once
per event and template, sent by the sending loop)."""

from __future__ import annotations

from typing import Any

from ticketing_contracts import (
    OrderCancelledV1,
    OrderCustomerErasedV1,
    OrderExpiredV1,
    OrderLinksRequestedV1,
    OrderRefundedV1,
    OrderRefundOwedV1,
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentRefundFailedV1,
    TicketsRenderedV1,
)
from ticketing_notifications.domain.notification import Template
from ticketing_notifications.service_layer.owing import (
    ConfirmTickets,
    OweEmail,
    confirm_tickets,
    owe_email,
)
from ticketing_notifications.service_layer.personal_data import ForgetCustomer, forget_customer
from ticketing_runtime.consumer import Delivery, EventConsumer


async def _owe(delivery: Delivery[Any], template: Template, order_id: str, **facts: Any) -> None:
    await owe_email(delivery.uow, OweEmail(delivery.envelope.id, template, order_id, facts))


REFUND_TEMPLATES = {
    "staff": Template.REFUND_DONE,
    "late_payment": Template.LATE_PAYMENT_REFUNDED,
    "unwanted_payment": Template.UNWANTED_PAYMENT_REFUNDED,
    "performance_cancelled": Template.PERFORMANCE_CANCELLED,
}


def refund_template(refund: OrderRefundedV1) -> Template:
    """The e-mail that says why the money went back (by its cause; an event sent before causes
    were named, by its flags)."""
    if refund.cause is not None:
        return REFUND_TEMPLATES[refund.cause]
    if refund.performance_cancelled:
        return Template.PERFORMANCE_CANCELLED
    return Template.LATE_PAYMENT_REFUNDED if refund.automatic else Template.REFUND_DONE


def register(consumer: EventConsumer) -> None:
    @consumer.handles(TicketsRenderedV1)
    async def on_rendered(delivery: Delivery[TicketsRenderedV1]) -> None:
        await confirm_tickets(delivery.uow, ConfirmTickets(delivery.event.order_id))

    @consumer.handles(PaymentIntentCreatedV1)
    async def on_link(delivery: Delivery[PaymentIntentCreatedV1]) -> None:
        created = delivery.event
        if created.payment_url:  # created late: the customer did not get it at checkout
            await _owe(
                delivery,
                Template.PAYMENT_LINK,
                created.order_id,
                payment_url=created.payment_url,
                amount_minor=created.amount.amount,
                currency=created.amount.currency,
            )

    @consumer.handles(PaymentFailedV1)
    async def on_failed(delivery: Delivery[PaymentFailedV1]) -> None:
        failed = delivery.event
        # no intent: the payment could not even be set up, so there is nothing to try again
        payable = bool(failed.payment_intent_id)
        await _owe(
            delivery,
            Template.PAYMENT_FAILED,
            failed.order_id,
            reason=failed.reason,
            payable=payable,
        )

    @consumer.handles(OrderExpiredV1)
    async def on_expired(delivery: Delivery[OrderExpiredV1]) -> None:
        await _owe(delivery, Template.ORDER_EXPIRED, delivery.event.order_id)

    @consumer.handles(OrderCancelledV1)
    async def on_cancelled(delivery: Delivery[OrderCancelledV1]) -> None:
        # a customer who cancels knows it already; one whose show was cancelled must be told
        if delivery.event.performance_cancelled:
            await _owe(delivery, Template.PERFORMANCE_CANCELLED_UNPAID, delivery.event.order_id)

    @consumer.handles(OrderRefundOwedV1)
    async def on_refund_owed(delivery: Delivery[OrderRefundOwedV1]) -> None:
        owed = delivery.event  # a box-office sale's show was cancelled: come to the desk
        # once per order: the cancellation and a sale refused as it landed may both say so
        facts = {"amount_minor": owed.amount.amount, "currency": owed.amount.currency}
        template = Template.PERFORMANCE_CANCELLED_AT_DESK
        once = OweEmail(f"refund-owed:{owed.order_id}", template, owed.order_id, facts)
        await owe_email(delivery.uow, once)

    @consumer.handles(OrderRefundedV1)
    async def on_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        refund = delivery.event
        await _owe(
            delivery,
            refund_template(refund),
            refund.order_id,
            amount_minor=refund.amount.amount,
            currency=refund.amount.currency,
            voided_ticket_ids=refund.voided_ticket_ids,
            fully_refunded=refund.fully_refunded,
            paid_at_desk=refund.payment_method is not None,  # the money is in a till
        )

    @consumer.handles(PaymentRefundFailedV1)
    async def on_refund_failed(delivery: Delivery[PaymentRefundFailedV1]) -> None:
        failed = delivery.event  # told "on its way to your card", the customer would wait for it
        if failed.refused_by != "stripe":
            return  # ours, before Stripe was asked: a mismatch for staff, not the card's fault
        await _owe(
            delivery,
            Template.REFUND_FAILED,
            failed.order_id,
            amount_minor=failed.amount.amount,
            currency=failed.amount.currency,
        )

    @consumer.handles(OrderLinksRequestedV1)
    async def on_links_requested(delivery: Delivery[OrderLinksRequestedV1]) -> None:
        asked = delivery.event  # sent to the address asked with, listing every order
        newest = asked.order_ids[0]
        await _owe(
            delivery,
            Template.ORDER_LINKS,
            newest,
            customer_email=asked.email,
            order_ids=asked.order_ids,
        )

    @consumer.handles(OrderCustomerErasedV1)
    async def on_customer_erased(delivery: Delivery[OrderCustomerErasedV1]) -> None:
        await forget_customer(delivery.uow, ForgetCustomer(delivery.event.order_id))
