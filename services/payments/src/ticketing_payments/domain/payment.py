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
    reason: str
    decline_code: str | None


@dataclass(frozen=True)
class Canceled:
    order_id: str
    intent_id: str


Outcome = Succeeded | Failed | Canceled


def outcome_of(event_type: str, intent: dict[str, Any]) -> Outcome | None:
    """What a Stripe event about a PaymentIntent means; ``None`` for what we do not act on."""
    order_id = (intent.get("metadata") or {}).get("order_id")
    if intent.get("object") != "payment_intent" or not order_id:
        return None
    if event_type == "payment_intent.succeeded":
        return Succeeded(order_id, intent["id"], intent["amount"], intent["currency"].upper())
    if event_type == "payment_intent.payment_failed":
        error = intent.get("last_payment_error") or {}
        return Failed(
            order_id,
            intent["id"],
            error.get("message") or "the payment failed",
            error.get("decline_code"),
        )
    if event_type == "payment_intent.canceled":
        return Canceled(order_id, intent["id"])
    return None
