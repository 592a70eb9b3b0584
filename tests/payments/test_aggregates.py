"""The payments aggregates change state through their methods and return the events to publish."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ticketing_contracts import (
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentRefundedV1,
    PaymentRefundFailedV1,
    PaymentSucceededV1,
)
from ticketing_payments.domain.aggregates import PaymentIntent, Refund
from ticketing_payments.domain.payment import (
    Canceled,
    Failed,
    IntentStatus,
    RefundStatus,
    Succeeded,
)
from ticketing_runtime.backoff import Retry

NOW = datetime.now(UTC)


def intent(status: IntentStatus = IntentStatus.OPEN, attempts: int = 0) -> PaymentIntent:
    stripe_id = None if status is IntentStatus.CREATING else "pi_1"
    return PaymentIntent(
        "ord_1",
        2500,
        "EUR",
        "ana@example.com",
        "Order T-1",
        status,
        stripe_id,
        None,
        attempts,
        None,
    )


def refund(amount: int = 1000, currency: str = "EUR") -> Refund:
    return Refund("rf_1", "ord_1", amount, currency, RefundStatus.PENDING, None, 0, None)


def test_an_intent_is_created_once() -> None:
    creating = intent(IntentStatus.CREATING)
    [created] = creating.created("pi_9", "secret", payment_url="https://pay/ord_1")

    assert isinstance(created, PaymentIntentCreatedV1)
    assert (created.payment_intent_id, created.payment_url) == ("pi_9", "https://pay/ord_1")
    assert (creating.status, creating.stripe_intent_id) == (IntentStatus.OPEN, "pi_9")
    assert creating.created("pi_other", "s2", None) == []
    assert creating.stripe_intent_id == "pi_9"


def test_creation_postponed_then_given_up_announces_the_failure_once() -> None:
    creating = intent(IntentStatus.CREATING)
    assert creating.creation_postponed("down", Retry(1, NOW, park=False)) == []
    assert (creating.status, creating.attempts) == (IntentStatus.CREATING, 1)
    [failed] = creating.creation_postponed("down", Retry(2, NOW, park=True))
    assert isinstance(failed, PaymentFailedV1)
    assert "try again later" in failed.reason
    assert (creating.status, creating.attempts) == (IntentStatus.CREATION_FAILED, 2)


def test_a_refused_creation_says_why() -> None:
    creating = intent(IntentStatus.CREATING)
    [failed] = creating.creation_refused("card declined", Retry(1, NOW, park=True))
    assert isinstance(failed, PaymentFailedV1)
    assert failed.reason == "the payment could not be set up: card declined"
    assert creating.status is IntentStatus.CREATION_FAILED


def test_success_counts_once_even_after_a_cancel() -> None:
    cancelled = intent(IntentStatus.CANCELED)
    success = Succeeded("ord_1", "pi_1", 2500, "EUR")
    [paid] = cancelled.apply(success)
    assert isinstance(paid, PaymentSucceededV1)
    assert cancelled.status is IntentStatus.SUCCEEDED
    assert cancelled.apply(success) == []


def test_a_failed_payment_leaves_the_intent_open_and_a_cancel_never_undoes_a_payment() -> None:
    open_intent = intent()
    [failed] = open_intent.apply(Failed("ord_1", "pi_1", 2500, "EUR", "declined", "generic"))
    assert isinstance(failed, PaymentFailedV1)
    assert (failed.customer_email, failed.decline_code) == ("ana@example.com", "generic")
    assert open_intent.status is IntentStatus.OPEN

    dead = intent()
    assert dead.apply(Canceled("ord_1", "pi_1")) == []
    assert dead.status is IntentStatus.CANCELED
    paid = intent(IntentStatus.SUCCEEDED)
    assert paid.cancel() == []
    assert paid.status is IntentStatus.SUCCEEDED


@pytest.mark.parametrize("status", [IntentStatus.SUCCEEDED, IntentStatus.CANCELED])
def test_a_decline_heard_after_the_payment_or_the_cancel_is_not_announced(
    status: IntentStatus,
) -> None:
    settled = intent(status)
    assert settled.apply(Failed("ord_1", "pi_1", 2500, "EUR", "declined", "generic")) == []
    assert settled.status is status


@pytest.mark.parametrize(
    ("stripe_status", "after"),
    [
        (None, IntentStatus.CANCELED),  # never created at Stripe
        ("canceled", IntentStatus.CANCELED),
        ("missing", IntentStatus.CANCELED),  # Stripe does not know it: nobody can pay it
        ("processing", IntentStatus.OPEN),  # may still succeed: reconciliation keeps asking
        ("succeeded", IntentStatus.OPEN),  # paid at the last moment: its webhook says so
    ],
)
def test_a_cancel_closes_the_intent_only_when_stripe_says_nobody_can_pay_it(
    stripe_status: str | None, after: IntentStatus
) -> None:
    """A dead order's intent still processing at Stripe (a bank debit) must stay open: marked
    cancelled here, a success whose webhook is lost would be money with no tickets, no refund
    and nothing in reconciliation's report."""
    dying = intent()
    assert dying.cancel(stripe_status) == []
    assert dying.status is after


def test_only_what_was_charged_comes_back() -> None:
    assert refund().refusal(intent(IntentStatus.SUCCEEDED)) is None
    assert refund().refusal(None) == "nothing was charged for this order"
    assert refund().refusal(intent(IntentStatus.OPEN)) == "nothing was charged for this order"
    too_much = "the refund does not match what was charged for this order"
    assert refund(amount=2501).refusal(intent(IntentStatus.SUCCEEDED)) == too_much
    assert refund(currency="USD").refusal(intent(IntentStatus.SUCCEEDED)) == too_much


def test_a_refund_settles_with_its_event_and_a_postponed_one_waits() -> None:
    done = refund()
    [refunded] = done.succeed(intent(IntentStatus.SUCCEEDED), "re_1")
    assert isinstance(refunded, PaymentRefundedV1)
    assert (refunded.payment_intent_id, refunded.stripe_refund_id) == ("pi_1", "re_1")
    assert done.status is RefundStatus.SUCCEEDED

    refused = refund()
    [failed] = refused.fail("no")
    assert isinstance(failed, PaymentRefundFailedV1)
    assert (refused.status, refused.last_error) == (RefundStatus.FAILED, "no")
    assert failed.refused_by == "stripe"
    [ours] = refund().fail("the refund does not match", by_stripe=False)
    assert isinstance(ours, PaymentRefundFailedV1)
    assert ours.refused_by == "payments"

    waiting = refund()
    assert waiting.postpone("down", Retry(1, NOW, park=False)) == []
    assert (waiting.status, waiting.attempts) == (RefundStatus.PENDING, 1)


def test_a_refund_stripe_accepted_as_pending_is_unsettled_until_stripe_says_more() -> None:
    pending = refund()
    [refunded] = pending.succeed(intent(IntentStatus.SUCCEEDED), "re_1", stripe_status="pending")
    assert isinstance(refunded, PaymentRefundedV1)  # orders is told at once
    assert refunded.stripe_status == "pending"  # a subscriber knows the money may not go back
    assert pending.unsettled_at_stripe
    assert pending.learn({"status": "pending"}) == []
    assert pending.unsettled_at_stripe
    assert pending.learn({"status": "succeeded"}) == []
    assert (pending.status, pending.stripe_status) == (RefundStatus.SUCCEEDED, "succeeded")
    assert not pending.unsettled_at_stripe


def test_a_refund_that_fails_after_stripe_accepted_it_is_announced_once() -> None:
    accepted = refund()
    accepted.succeed(intent(IntentStatus.SUCCEEDED), "re_1", stripe_status="pending")
    [failed] = accepted.learn({"status": "failed", "failure_reason": "lost_or_stolen_card"})
    assert isinstance(failed, PaymentRefundFailedV1)
    assert "lost_or_stolen_card" in failed.reason
    assert (accepted.status, accepted.stripe_status) == (RefundStatus.FAILED, "failed")
    assert accepted.learn({"status": "failed"}) == []
    assert not accepted.unsettled_at_stripe
    # one we never had Stripe do (refused, or still retried) learns nothing from a stray word
    assert refund().learn({"status": "failed"}) == []
    assert refund().stripe_status is None
