"""Refunding through Stripe what orders refunded: once per refund, retried while Stripe is down,
a refusal reported back (never lost)."""

from __future__ import annotations

import logging
from typing import Any

from ticketing_contracts import Money, PaymentRefundedV1, PaymentRefundFailedV1
from ticketing_payments.adapters import intents_repository as intents
from ticketing_payments.adapters import refunds_repository as repo
from ticketing_payments.adapters.stripe_api import StripeRefused, StripeUnavailable
from ticketing_payments.domain.payment import IntentStatus, RefundStatus
from ticketing_payments.entrypoints.deps import Payments
from ticketing_runtime.backoff import retry_at
from ticketing_runtime.database import UnitOfWork

log = logging.getLogger(__name__)


async def try_refund(pay: Payments, uow: UnitOfWork, row: dict[str, Any]) -> None:
    """One attempt for ``row`` (a pending refund locked by ``uow``); the outcome is recorded and
    announced in ``uow``. Stripe down: postponed with backoff."""
    if row["status"] != RefundStatus.PENDING:
        return
    intent = await intents.get_intent(uow.session, row["order_id"])
    if row["amount"] == 0:
        await _succeeded(uow, row, intent, stripe_refund_id=None)
        return
    if intent is None or intent["status"] != IntentStatus.SUCCEEDED:
        await _failed(uow, row, "nothing was charged for this order")
        return
    if row["currency"] != intent["currency"] or row["amount"] > intent["amount"]:
        # only what we charged comes back: never more, never in another currency
        await _failed(uow, row, "the refund does not match what was charged for this order")
        return
    try:
        refund = await pay.stripe.refund(
            intent["stripe_intent_id"], row["amount"], row["refund_id"], row["order_id"]
        )
    except StripeUnavailable as exc:
        attempts = row["attempts"] + 1
        log.warning("refund %s failed (attempt %d): %s", row["refund_id"], attempts, exc)
        until = retry_at(
            attempts, pay.settings.intent_retry_base_s, pay.settings.intent_retry_cap_s
        )
        await repo.postpone(uow.session, row["refund_id"], str(exc), until)
        return
    except StripeRefused as exc:
        await _failed(uow, row, exc.message)
        return
    if refund.get("status") in ("failed", "canceled"):
        await _failed(uow, row, f"Stripe reports the refund {refund.get('failure_reason')}")
        return
    await _succeeded(uow, row, intent, stripe_refund_id=refund["id"])


async def _succeeded(
    uow: UnitOfWork,
    row: dict[str, Any],
    intent: dict[str, Any] | None,
    stripe_refund_id: str | None,
) -> None:
    await repo.settle(
        uow.session, row["refund_id"], RefundStatus.SUCCEEDED, stripe_refund_id=stripe_refund_id
    )
    await uow.publish(
        PaymentRefundedV1(
            order_id=row["order_id"],
            payment_intent_id=(intent or {}).get("stripe_intent_id") or "",
            refund_id=row["refund_id"],
            amount=Money(amount=row["amount"], currency=row["currency"]),
            stripe_refund_id=stripe_refund_id,
        )
    )


async def _failed(uow: UnitOfWork, row: dict[str, Any], reason: str) -> None:
    log.error("refund %s of order %s refused: %s", row["refund_id"], row["order_id"], reason)
    await repo.settle(uow.session, row["refund_id"], RefundStatus.FAILED, error=reason)
    await uow.publish(
        PaymentRefundFailedV1(
            order_id=row["order_id"],
            refund_id=row["refund_id"],
            amount=Money(amount=row["amount"], currency=row["currency"]),
            reason=reason,
        )
    )


async def refund_due(pay: Payments) -> int:
    """Retry the refunds Stripe could not do yet (backoff per refund)."""
    tried = 0
    while True:
        async with pay.database.unit_of_work() as uow:
            due = await repo.due(uow.session, limit=1)
            if not due:
                return tried
            await try_refund(pay, uow, due[0])
            await uow.commit()
            tried += 1
