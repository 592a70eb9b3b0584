"""Which Stripe events may settle an order: only those about an intent payments created, for
its order, amount and currency (no servers)."""

from __future__ import annotations

from typing import Any

import pytest

from ticketing_payments.domain.payment import (
    Canceled,
    Mismatch,
    RecordedIntent,
    Succeeded,
    is_refund_event,
    mismatch_of,
    outcome_of,
    refund_claim,
)

RECORDED = RecordedIntent(order_id="ord_1", amount=5000, currency="EUR")


def intent(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 5000,
        "currency": "eur",
        "metadata": {"order_id": "ord_1"},
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    "event_type", ["payment_intent.succeeded", "payment_intent.payment_failed"]
)
@pytest.mark.parametrize(
    ("changes", "recorded", "expected"),
    [
        ({}, RECORDED, None),
        ({}, None, Mismatch.UNKNOWN_INTENT),
        ({"metadata": {"order_id": "ord_2"}}, RECORDED, Mismatch.WRONG_ORDER),
        ({"metadata": {}}, RECORDED, Mismatch.WRONG_ORDER),
        ({"amount": 1}, RECORDED, Mismatch.WRONG_AMOUNT),
        ({"amount": "5000"}, RECORDED, Mismatch.WRONG_AMOUNT),
        ({"currency": "usd"}, RECORDED, Mismatch.WRONG_CURRENCY),
    ],
)
def test_an_event_counts_only_for_what_was_recorded(
    event_type: str,
    changes: dict[str, Any],
    recorded: RecordedIntent | None,
    expected: Mismatch | None,
) -> None:
    outcome = outcome_of(event_type, intent(**changes))
    assert outcome is not None
    assert mismatch_of(outcome, recorded) == expected


def test_a_cancellation_needs_our_intent_and_order_but_moves_no_money() -> None:
    assert mismatch_of(Canceled("ord_1", "pi_1"), RECORDED) is None
    assert mismatch_of(Canceled("ord_2", "pi_1"), RECORDED) == Mismatch.WRONG_ORDER
    assert mismatch_of(Canceled("ord_1", "pi_1"), None) == Mismatch.UNKNOWN_INTENT


def test_the_currency_is_compared_in_upper_case() -> None:
    outcome = outcome_of("payment_intent.succeeded", intent(currency="eur"))
    assert outcome == Succeeded("ord_1", "pi_1", 5000, "EUR")


def test_refund_events_name_our_refund_in_their_metadata() -> None:
    assert is_refund_event("refund.created")
    assert is_refund_event("charge.refunded")
    assert not is_refund_event("payment_intent.succeeded")
    ours = {"id": "re_1", "object": "refund", "metadata": {"refund_id": "rfd_1"}}
    assert refund_claim(ours) == "rfd_1"
    assert refund_claim({"id": "re_2", "object": "refund", "metadata": {}}) is None
    assert refund_claim({"id": "re_3", "object": "refund"}) is None
