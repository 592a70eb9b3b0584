"""The payments aggregates: an order's one payment intent, and a refund orders asked for. Their
methods change state and return the events to publish. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import (
    Event,
    Money,
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentRefundedV1,
    PaymentRefundFailedV1,
    PaymentSucceededV1,
)
from ticketing_payments.domain.payment import (
    Canceled,
    Failed,
    IntentStatus,
    Outcome,
    RefundStatus,
    Succeeded,
)
from ticketing_runtime.backoff import Retry

#: an intent still worth cancelling when its order dies
CANCELLABLE = frozenset({IntentStatus.CREATING, IntentStatus.OPEN})
#: Stripe's answers to a cancel after which nobody can pay the intent (None: never created)
CLOSED_AT_STRIPE = frozenset({None, "canceled", "missing"})
#: Stripe's statuses of a refund that are not its last word (asked about again until they are)
UNSETTLED_AT_STRIPE = frozenset({"pending", "requires_action"})


@dataclass
class PaymentIntent:
    order_id: str
    amount: int
    currency: str
    customer_email: str
    description: str
    status: IntentStatus
    stripe_intent_id: str | None
    client_secret: str | None
    attempts: int
    last_error: str | None

    @property
    def never_tried(self) -> bool:
        return self.status is IntentStatus.CREATING and self.attempts == 0

    def created(
        self, stripe_intent_id: str, client_secret: str | None, payment_url: str | None
    ) -> list[Event]:
        """Stripe created it (``payment_url``: the customer was not there, send the link);
        nothing when an earlier attempt recorded it first."""
        if self.stripe_intent_id is not None:
            return []
        self.stripe_intent_id, self.client_secret = stripe_intent_id, client_secret
        self.status, self.last_error = IntentStatus.OPEN, None
        return [
            PaymentIntentCreatedV1(
                order_id=self.order_id,
                payment_intent_id=stripe_intent_id,
                amount=Money(amount=self.amount, currency=self.currency),
                payment_url=payment_url,
                customer_email=self.customer_email,
            )
        ]

    def creation_refused(self, message: str, retry: Retry) -> list[Event]:
        """Stripe refused to create it: given up at once (``retry`` must park)."""
        self._failed(message, retry)
        return [self._payment_failed(f"the payment could not be set up: {message}")]

    def creation_postponed(self, error: str, retry: Retry) -> list[Event]:
        """Stripe was down: tried again after the backoff, or, past the limit, given up."""
        self._failed(error, retry)
        if not retry.park:
            return []
        return [self._payment_failed("the payment could not be set up; please try again later")]

    def apply(self, outcome: Outcome) -> list[Event]:
        """What Stripe says happened (checked against what we recorded before it counts); a
        repeated outcome changes nothing."""
        if isinstance(outcome, Succeeded):
            if self.status is IntentStatus.SUCCEEDED:
                return []
            self.status = IntentStatus.SUCCEEDED  # even after a cancel: orders refunds it
            return [
                PaymentSucceededV1(
                    order_id=self.order_id,
                    payment_intent_id=outcome.intent_id,
                    amount=Money(amount=outcome.amount, currency=outcome.currency),
                    succeeded_at=datetime.now(UTC),
                )
            ]
        if isinstance(outcome, Failed):
            if self.status in (IntentStatus.SUCCEEDED, IntentStatus.CANCELED):
                # an earlier card's decline heard late (Stripe retries a webhook for days):
                # the order is paid, or past paying, and "try again" would mislead the customer
                return []
            # the intent stays open: the customer may try another card until the deadline
            return [
                PaymentFailedV1(
                    order_id=self.order_id,
                    payment_intent_id=outcome.intent_id,
                    reason=outcome.reason,
                    decline_code=outcome.decline_code,
                    customer_email=self.customer_email,
                )
            ]
        assert isinstance(outcome, Canceled)
        return self.cancel()

    def cancel(self, stripe_status: str | None = None) -> list[Event]:
        """No more payment, as far as Stripe's answer to the cancel (``stripe_status``; None:
        never created there) allows; nothing is announced. Canceled, or unknown to Stripe:
        closed. Succeeded: it stays as it is (its webhook makes the late payment known). Still
        processing (a bank debit may succeed days later): it stays open, so its final webhook
        or reconciliation settles it and no payment is taken for an order without tickets."""
        if self.status is not IntentStatus.SUCCEEDED and stripe_status in CLOSED_AT_STRIPE:
            self.status = IntentStatus.CANCELED
        return []

    def _failed(self, error: str, retry: Retry) -> None:
        self.attempts, self.last_error = retry.attempts, error
        self.status = IntentStatus.CREATION_FAILED if retry.park else IntentStatus.CREATING

    def _payment_failed(self, reason: str) -> PaymentFailedV1:
        return PaymentFailedV1(
            order_id=self.order_id,
            payment_intent_id="",
            reason=reason,
            customer_email=self.customer_email,
        )


@dataclass
class Refund:
    refund_id: str
    order_id: str
    amount: int
    currency: str
    status: RefundStatus
    stripe_refund_id: str | None
    attempts: int
    last_error: str | None
    #: Stripe's own status as last heard; a refund Stripe accepted as ``pending`` counts as
    #: given back (orders is told at once) and is asked about until Stripe settles it
    stripe_status: str | None = None

    def refusal(self, intent: PaymentIntent | None) -> str | None:
        """Why Stripe must not be asked for this refund (``None``: ask). Only what we charged
        comes back: never more, never in another currency."""
        if intent is None or intent.status is not IntentStatus.SUCCEEDED:
            return "nothing was charged for this order"
        if self.currency != intent.currency or self.amount > intent.amount:
            return "the refund does not match what was charged for this order"
        return None

    def succeed(
        self,
        intent: PaymentIntent | None,
        stripe_refund_id: str | None,
        stripe_status: str | None = None,
    ) -> list[Event]:
        self.status, self.stripe_refund_id, self.last_error = (
            RefundStatus.SUCCEEDED,
            stripe_refund_id,
            None,
        )
        self.stripe_status = stripe_status
        return [
            PaymentRefundedV1(
                order_id=self.order_id,
                payment_intent_id=(intent.stripe_intent_id if intent else None) or "",
                refund_id=self.refund_id,
                amount=Money(amount=self.amount, currency=self.currency),
                stripe_refund_id=stripe_refund_id,
                stripe_status=stripe_status,
            )
        ]

    def fail(self, reason: str, by_stripe: bool = True) -> list[Event]:
        """Stripe refused it, at once or later (a refund it first accepted as pending), or we
        did before asking (``by_stripe=False``: see ``refusal``)."""
        self.status, self.last_error = RefundStatus.FAILED, reason
        return [
            PaymentRefundFailedV1(
                order_id=self.order_id,
                refund_id=self.refund_id,
                amount=Money(amount=self.amount, currency=self.currency),
                reason=reason,
                refused_by="stripe" if by_stripe else "payments",
            )
        ]

    @property
    def unsettled_at_stripe(self) -> bool:
        return self.status is RefundStatus.SUCCEEDED and self.stripe_status in UNSETTLED_AT_STRIPE

    def learn(self, stripe_refund: dict[str, Any]) -> list[Event]:
        """Stripe's later word on a refund it had accepted (a webhook, or reconciliation asking):
        its status is kept; failed or canceled after all (the money did not go back) is
        announced once."""
        status = stripe_refund.get("status")
        if self.status is not RefundStatus.SUCCEEDED or not isinstance(status, str):
            return []
        self.stripe_status = status
        if status not in ("failed", "canceled"):
            return []
        why = stripe_refund.get("failure_reason") or status
        return self.fail(f"Stripe reports the refund {why} after accepting it")

    def postpone(self, error: str, retry: Retry) -> list[Event]:
        """Stripe was down: asked again after the backoff (a refund is never given up)."""
        self.attempts, self.last_error = retry.attempts, error
        return []
