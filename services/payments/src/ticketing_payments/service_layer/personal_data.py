"""A customer erased by orders (``orders.customer.erased``): payments forgets their address on
the order's intent and in the Stripe events about it, and has Stripe drop it from the intent and
its charge (the address receipts go to). What else Stripe keeps of the payment (the billing
details the card form collected) is erased with Stripe's own privacy tools."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters.stripe_api import StripeRefused
from ticketing_payments.service_layer.container import Payments
from ticketing_runtime.database import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ForgetCustomer:
    order_id: str


async def forget_customer(pay: Payments, uow: UnitOfWork, command: ForgetCustomer) -> None:
    """In ``uow``; Stripe down raises ``StripeUnavailable`` (the event is delivered again, and a
    redelivery forgets the same again)."""
    stripe_intent_id = await repo.forget_customer(uow.session, command.order_id)
    if stripe_intent_id is None:
        return
    try:
        await pay.stripe.forget_receipt_email(stripe_intent_id)
    except StripeRefused as exc:  # Stripe no longer knows the intent: nothing there to forget
        log.warning("forgetting %s's receipt e-mail: Stripe refused: %s", stripe_intent_id, exc)
