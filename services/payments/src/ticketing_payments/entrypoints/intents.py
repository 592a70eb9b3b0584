"""Creating an order's intent (inline or by the retry loop) and applying Stripe's outcomes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter

from ticketing_contracts import (
    Money,
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentSucceededV1,
)
from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters.stripe_api import StripeRefused, StripeUnavailable
from ticketing_payments.domain.payment import (
    Canceled,
    Failed,
    IntentStatus,
    Mismatch,
    Outcome,
    Succeeded,
    is_refund_event,
    mismatch_of,
    outcome_of,
    refund_claim,
)
from ticketing_payments.entrypoints.deps import Payments
from ticketing_runtime.backoff import retry_at
from ticketing_runtime.database import UnitOfWork

log = logging.getLogger(__name__)
UNMATCHED_EVENTS = Counter(
    "ticketing_payments_unmatched_stripe_events_total",
    "Verified Stripe events that changed nothing: not about what payments created or asked for",
    ["reason"],
)


async def try_create(pay: Payments, uow: UnitOfWork, row: dict[str, Any], *, late: bool) -> bool:
    """One attempt at Stripe for ``row`` (an intent in ``creating``, locked by ``uow``); records
    the result in ``uow``. ``late``: the customer was not there to get it, send them the link."""
    settings, order_id = pay.settings, row["order_id"]
    try:
        created = await pay.stripe.create_intent(
            order_id, row["amount"], row["currency"], row["customer_email"], row["description"]
        )
    except StripeRefused as exc:
        log.error("Stripe refused the intent of %s: %s", order_id, exc.message)
        await repo.mark_attempt_failed(uow.session, order_id, exc.message, datetime.now(UTC), True)
        await uow.publish(
            PaymentFailedV1(
                order_id=order_id,
                payment_intent_id="",
                reason=f"the payment could not be set up: {exc.message}",
                customer_email=row["customer_email"],
            )
        )
        return False
    except StripeUnavailable as exc:
        attempts = row["attempts"] + 1
        give_up = attempts >= settings.intent_max_attempts
        log.warning("creating the intent of %s failed (attempt %d): %s", order_id, attempts, exc)
        next_at = retry_at(attempts, settings.intent_retry_base_s, settings.intent_retry_cap_s)
        await repo.mark_attempt_failed(uow.session, order_id, str(exc), next_at, give_up)
        if give_up:
            await uow.publish(
                PaymentFailedV1(
                    order_id=order_id,
                    payment_intent_id="",
                    reason="the payment could not be set up; please try again later",
                    customer_email=row["customer_email"],
                )
            )
        return False
    if await repo.mark_created(uow.session, order_id, created):
        await uow.publish(
            PaymentIntentCreatedV1(
                order_id=order_id,
                payment_intent_id=created.intent_id,
                amount=Money(amount=row["amount"], currency=row["currency"]),
                payment_url=settings.payment_page_url.format(order_id=order_id) if late else None,
                customer_email=row["customer_email"],
            )
        )
    return True


async def settle_event(uow: UnitOfWork, event_id: str, event_type: str, obj: Any) -> None:
    """Act on a stored Stripe event if it is about an intent we created for its order, with the
    recorded amount and currency; otherwise mark it (for the reconciliation report), count it
    and change no order."""
    if not isinstance(obj, dict):
        return
    if is_refund_event(event_type):
        if refund_claim(obj) is None:  # any other refund is checked by the report
            await _refuse(uow, event_id, event_type, Mismatch.UNKNOWN_REFUND, obj)
        return
    outcome = outcome_of(event_type, obj)
    if outcome is None:
        return
    recorded = await repo.recorded_intent(uow.session, outcome.intent_id)
    mismatch = mismatch_of(outcome, recorded)
    if mismatch is not None:
        await _refuse(uow, event_id, event_type, mismatch, obj)
        return
    await apply_outcome(uow, outcome)


async def _refuse(
    uow: UnitOfWork, event_id: str, event_type: str, mismatch: Mismatch, obj: dict[str, Any]
) -> None:
    await repo.mark_mismatch(uow.session, event_id, mismatch)
    UNMATCHED_EVENTS.labels(reason=mismatch.value).inc()
    log.warning(
        "Stripe event %s (%s) about %s changes nothing: %s",
        event_id,
        event_type,
        obj.get("id"),
        mismatch.value,
    )


async def apply_outcome(uow: UnitOfWork, outcome: Outcome) -> None:
    """Turn what Stripe says into our state and events; a repeated outcome changes nothing."""
    if isinstance(outcome, Succeeded):
        if await repo.move(uow.session, outcome.order_id, IntentStatus.SUCCEEDED, unless=set()):
            await uow.publish(
                PaymentSucceededV1(
                    order_id=outcome.order_id,
                    payment_intent_id=outcome.intent_id,
                    amount=Money(amount=outcome.amount, currency=outcome.currency),
                    succeeded_at=datetime.now(UTC),
                )
            )
    elif isinstance(outcome, Failed):
        # the intent stays open: the customer may try another card until the deadline
        row = await repo.get_intent(uow.session, outcome.order_id)
        await uow.publish(
            PaymentFailedV1(
                order_id=outcome.order_id,
                payment_intent_id=outcome.intent_id,
                reason=outcome.reason,
                decline_code=outcome.decline_code,
                customer_email=row["customer_email"] if row else None,
            )
        )
    elif isinstance(outcome, Canceled):
        await repo.move(
            uow.session, outcome.order_id, IntentStatus.CANCELED, unless={IntentStatus.SUCCEEDED}
        )
