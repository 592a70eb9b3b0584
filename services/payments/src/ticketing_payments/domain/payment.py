"""Payment intents as this service tracks them, and what Stripe's events mean for an order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class IntentStatus(StrEnum):
    CREATING = "creating"  # not created at Stripe yet (Stripe slow or down): retried
    OPEN = "open"  # created; waiting for the customer
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"
    CREATION_FAILED = "creation_failed"  # gave up after the configured attempts


class RefundStatus(StrEnum):
    PENDING = "pending"  # not done at Stripe yet (or Stripe down): retried with backoff
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # Stripe refused it: orders shows it to staff


FINAL = frozenset({IntentStatus.SUCCEEDED, IntentStatus.CANCELED, IntentStatus.CREATION_FAILED})


def intent_key(order_id: str) -> str:
    """Stripe idempotency key of the one intent of an order."""
    return f"order-{order_id}-intent"


def refund_key(refund_id: str) -> str:
    """Stripe idempotency key of one refund: retries never refund twice."""
    return f"refund-{refund_id}"


@dataclass(frozen=True)
class Succeeded:
    order_id: str
    intent_id: str
    amount: int
    currency: str


@dataclass(frozen=True)
class Failed:
    order_id: str
    intent_id: str
    amount: int
    currency: str
    reason: str
    decline_code: str | None


@dataclass(frozen=True)
class Canceled:
    order_id: str
    intent_id: str


Outcome = Succeeded | Failed | Canceled


class Mismatch(StrEnum):
    """Why a signed Stripe event does not count (invariant 9: we settle only what we created)."""

    UNKNOWN_INTENT = "unknown_intent"  # no order of ours has this intent id
    WRONG_ORDER = "wrong_order"  # the metadata names another order than the intent's
    WRONG_AMOUNT = "wrong_amount"
    WRONG_CURRENCY = "wrong_currency"
    UNKNOWN_REFUND = "unknown_refund"  # a refund payments never asked for


@dataclass(frozen=True)
class RecordedIntent:
    """What payments recorded when it created an intent."""

    order_id: str
    amount: int
    currency: str


def outcome_of(event_type: str, intent: dict[str, Any]) -> Outcome | None:
    """What a Stripe event about a PaymentIntent claims; ``None`` for what we do not act on.
    The claim is checked against what we recorded (``mismatch_of``) before it counts."""
    if intent.get("object") != "payment_intent" or not isinstance(intent.get("id"), str):
        return None
    order_id = str((intent.get("metadata") or {}).get("order_id") or "")
    amount, currency = _money(intent)
    if event_type == "payment_intent.succeeded":
        return Succeeded(order_id, intent["id"], amount, currency)
    if event_type == "payment_intent.payment_failed":
        error = intent.get("last_payment_error") or {}
        return Failed(
            order_id,
            intent["id"],
            amount,
            currency,
            error.get("message") or "the payment failed",
            error.get("decline_code"),
        )
    if event_type == "payment_intent.canceled":
        return Canceled(order_id, intent["id"])
    return None


def _money(intent: dict[str, Any]) -> tuple[int, str]:
    amount = intent.get("amount")
    currency = intent.get("currency")
    return (
        amount if isinstance(amount, int) else -1,
        currency.upper() if isinstance(currency, str) else "",
    )


def mismatch_of(outcome: Outcome, recorded: RecordedIntent | None) -> Mismatch | None:
    """``None`` when the event is about an intent we created for its order, with the recorded
    amount and currency (a cancellation moves no money: only the intent and order count)."""
    if recorded is None:
        return Mismatch.UNKNOWN_INTENT
    if outcome.order_id != recorded.order_id:
        return Mismatch.WRONG_ORDER
    if isinstance(outcome, Canceled):
        return None
    if outcome.amount != recorded.amount:
        return Mismatch.WRONG_AMOUNT
    if outcome.currency != recorded.currency:
        return Mismatch.WRONG_CURRENCY
    return None


def is_refund_event(event_type: str) -> bool:
    return event_type.startswith(("refund.", "charge.refund"))


def refund_claim(refund: dict[str, Any]) -> str | None:
    """The refund id of ours a Stripe refund names in its metadata (``None``: not one of ours)."""
    if refund.get("object") != "refund":
        return None
    claimed = (refund.get("metadata") or {}).get("refund_id")
    return claimed if isinstance(claimed, str) and claimed else None
