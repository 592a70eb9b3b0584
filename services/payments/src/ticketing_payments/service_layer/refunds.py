"""Refunding through Stripe what orders refunded: once per refund, retried while Stripe is down,
a refusal reported back (never lost)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from ticketing_contracts import Event
from ticketing_payments.adapters import intents_repository as intents
from ticketing_payments.adapters import refunds_repository as repo
from ticketing_payments.adapters.stripe_api import StripeRefused, StripeUnavailable
from ticketing_payments.domain.aggregates import PaymentIntent, Refund
from ticketing_payments.domain.payment import RefundStatus
from ticketing_payments.service_layer.container import Payments
from ticketing_runtime.backoff import Backoff
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.due_work import work_off_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefundPayment:
    """``order.refunded``: give back what orders refunded (a redelivery refunds nothing more)."""

    refund_id: str
    order_id: str
    amount: int
    currency: str
    paid_elsewhere: bool  # a box-office sale: the money went back at the desk


async def refund_payment(pay: Payments, uow: UnitOfWork, command: RefundPayment) -> None:
    """Inline when Stripe answers; otherwise the retry loop carries on (the refund is kept)."""
    if command.paid_elsewhere:
        return
    refund = await repo.ensure_refund(
        uow.session,
        refund_id=command.refund_id,
        order_id=command.order_id,
        amount=command.amount,
        currency=command.currency,
    )
    await try_refund(pay, uow, refund)


async def try_refund(pay: Payments, uow: UnitOfWork, refund: Refund) -> None:
    """One attempt for ``refund`` (pending, locked by ``uow``); the outcome is recorded and
    announced in ``uow``. Stripe down: postponed with backoff."""
    if refund.status is not RefundStatus.PENDING:
        return
    intent = await intents.get_intent(uow.session, refund.order_id)
    if refund.amount == 0:
        await _settled(uow, refund, refund.succeed(intent, stripe_refund_id=None))
        return
    refusal = refund.refusal(intent)
    if refusal is not None:
        await _failed(uow, refund, refusal, by_stripe=False)
        return
    assert intent is not None  # refused otherwise
    await _ask_stripe(pay, uow, refund, intent)


async def _ask_stripe(
    pay: Payments, uow: UnitOfWork, refund: Refund, intent: PaymentIntent
) -> None:
    assert intent.stripe_intent_id is not None
    try:
        answer = await pay.stripe.refund(
            intent.stripe_intent_id, refund.amount, refund.refund_id, refund.order_id
        )
    except StripeUnavailable as exc:
        # the intents' delays, never given up: the money must go back
        settings = pay.settings
        backoff = Backoff(settings.intent_retry_base_s, settings.intent_retry_cap_s)
        retry = backoff.after_failure(refund.attempts)
        log.warning("refund %s failed (attempt %d): %s", refund.refund_id, retry.attempts, exc)
        refund.postpone(str(exc), retry)
        await repo.save_postponed(uow.session, refund, retry)
        return
    except StripeRefused as exc:
        await _failed(uow, refund, exc.message)
        return
    if answer.get("status") in ("failed", "canceled"):
        await _failed(uow, refund, f"Stripe reports the refund {answer.get('failure_reason')}")
        return
    accepted = refund.succeed(intent, answer["id"], stripe_status=answer.get("status"))
    await _settled(uow, refund, accepted)


async def _failed(uow: UnitOfWork, refund: Refund, reason: str, by_stripe: bool = True) -> None:
    log.error("refund %s of order %s refused: %s", refund.refund_id, refund.order_id, reason)
    await _settled(uow, refund, refund.fail(reason, by_stripe))


async def _settled(uow: UnitOfWork, refund: Refund, events: Sequence[Event]) -> None:
    await repo.save_settled(uow.session, refund)
    await uow.publish_all(events)


async def refund_due(pay: Payments) -> int:
    """Retry the refunds Stripe could not do yet (backoff per refund)."""
    return await work_off_due(pay.database, repo.due, partial(_refund_each, pay))


async def _refund_each(pay: Payments, uow: UnitOfWork, due: Sequence[Refund]) -> int:
    for refund in due:
        await try_refund(pay, uow, refund)
    return len(due)
