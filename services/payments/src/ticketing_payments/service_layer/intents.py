"""An order's one payment intent: created inline when Stripe is quick, else by the retry loop
(with backoff, then given up); cancelled when the order dies."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters.stripe_api import StripeRefused, StripeUnavailable
from ticketing_payments.domain.aggregates import CANCELLABLE, PaymentIntent
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.exceptions import IntentNotFound, OrderNotPayable
from ticketing_runtime.backoff import Backoff
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.due_work import work_off_due

log = logging.getLogger(__name__)
# longer than orders waits for the inline answer (TICKETING_PAYMENTS_TIMEOUT_S, 6 s by default)
INLINE_ANSWER_GRACE = timedelta(seconds=15)


@dataclass(frozen=True)
class CreateIntent:
    order_id: str
    amount: int
    currency: str
    customer_email: str
    description: str


@dataclass(frozen=True)
class ChargeOrder:
    """``order.placed``: make sure its intent exists even if payments was down when asked."""

    intent: CreateIntent
    paid_elsewhere: bool  # paid at the box office: nothing to charge


@dataclass(frozen=True)
class CancelIntent:
    order_id: str


async def create_intent(pay: Payments, command: CreateIntent) -> PaymentIntent:
    """The order's intent, asked of Stripe now if it never was (``stripe_intent_id`` None:
    Stripe is slow or down, the retry loop carries on and the customer gets the link)."""
    async with pay.database.unit_of_work() as uow:
        # one transaction: the retry loop never sees the new row before this request asked
        # Stripe (it would ask too, as late, and mail a payment link to a customer still at
        # checkout); a racing request for the same order waits on the row, then finds the intent
        if not await _ensure(uow, command):
            raise OrderNotPayable(f"order {command.order_id!r} expired or was cancelled")
        intent = await repo.get_intent(uow.session, command.order_id, lock=True)
        assert intent is not None
        if not intent.never_tried:
            return intent
        await try_create(pay, uow, intent, late=False)
        await uow.commit()
    return await read_intent(pay, command.order_id)


async def read_intent(pay: Payments, order_id: str) -> PaymentIntent:
    async with pay.database.unit_of_work() as uow:
        intent = await repo.get_intent(uow.session, order_id)
    if intent is None:
        raise IntentNotFound(f"no payment intent for order {order_id!r}")
    return intent


async def charge_order(uow: UnitOfWork, command: ChargeOrder) -> None:
    """Orders publishes ``order.placed`` before it asks for the intent inline: the row made
    here waits for that answer, or the retry loop would ask first, as late, and mail a payment
    link to a customer still at checkout."""
    if command.intent.amount == 0 or command.paid_elsewhere:
        return  # a free order, or one paid at the box office: nothing to charge
    due_at = datetime.now(UTC) + INLINE_ANSWER_GRACE
    if not await _ensure(uow, command.intent, due_at=due_at):
        log.info("order %s died before it was heard placed: no intent", command.intent.order_id)


async def _ensure(uow: UnitOfWork, command: CreateIntent, due_at: datetime | None = None) -> bool:
    """The order's intent row, unless the order died first (``False``)."""
    await repo.lock_order(uow.session, command.order_id)
    if await repo.is_dead(uow.session, command.order_id):
        return False
    await repo.ensure_intent(
        uow.session,
        order_id=command.order_id,
        amount=command.amount,
        currency=command.currency,
        customer_email=command.customer_email,
        description=command.description,
        due_at=due_at,
    )
    return True


async def try_create(pay: Payments, uow: UnitOfWork, intent: PaymentIntent, *, late: bool) -> bool:
    """One attempt at Stripe for ``intent`` (in ``creating``, locked by ``uow``); records the
    result in ``uow``. ``late``: the customer was not there to get it, send them the link."""
    settings, order_id = pay.settings, intent.order_id
    try:
        created = await pay.stripe.create_intent(
            order_id, intent.amount, intent.currency, intent.customer_email, intent.description
        )
    except StripeRefused as exc:
        log.error("Stripe refused the intent of %s: %s", order_id, exc.message)
        retry = _backoff(pay).after_failure(intent.attempts, retryable=False)
        events = intent.creation_refused(exc.message, retry)
        await repo.save_attempt_failed(uow.session, intent, retry)
        await uow.publish_all(events)
        return False
    except StripeUnavailable as exc:
        retry = _backoff(pay).after_failure(intent.attempts)
        log.warning(
            "creating the intent of %s failed (attempt %d): %s", order_id, retry.attempts, exc
        )
        events = intent.creation_postponed(str(exc), retry)
        await repo.save_attempt_failed(uow.session, intent, retry)
        await uow.publish_all(events)
        return False
    link = settings.payment_page_url.format(order_id=order_id) if late else None
    events = intent.created(created.intent_id, created.client_secret, link)
    if events:
        await repo.save(uow.session, intent)
        await uow.publish_all(events)
    return True


def _backoff(pay: Payments) -> Backoff:
    """While Stripe is down: doubling delays, given up after the configured attempts."""
    s = pay.settings
    return Backoff(s.intent_retry_base_s, s.intent_retry_cap_s, s.intent_max_attempts)


async def create_due_intents(pay: Payments) -> int:
    """Retry the creation of intents Stripe did not create in time (backoff per intent); the
    row stays locked while Stripe is asked, so another replica skips it."""
    return await work_off_due(pay.database, repo.due_for_creation, partial(_create_each, pay))


async def _create_each(pay: Payments, uow: UnitOfWork, due: Sequence[PaymentIntent]) -> int:
    return sum([await try_create(pay, uow, intent, late=True) for intent in due])


async def cancel_intent(pay: Payments, uow: UnitOfWork, command: CancelIntent) -> None:
    """No more payment for a dead order (Stripe down: raised, so the delivery is retried). One
    not heard placed yet is remembered: its late ``order.placed`` makes no intent."""
    await repo.lock_order(uow.session, command.order_id)
    intent = await repo.get_intent(uow.session, command.order_id, lock=True)
    if intent is None:
        await repo.record_dead_order(uow.session, command.order_id)
        return
    if intent.status not in CANCELLABLE:
        return
    stripe_status = None
    if intent.stripe_intent_id is not None:
        stripe_status = await pay.stripe.cancel_intent(intent.stripe_intent_id)
    await uow.publish_all(intent.cancel(stripe_status))
    await repo.save(uow.session, intent)
