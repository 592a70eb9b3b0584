"""The orders domain without I/O: lifecycle, names, ticket secrets, the door's decisions."""

from __future__ import annotations

import base64
import itertools
import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ticketing_orders.domain import tickets
from ticketing_orders.domain.checkin import CheckinResult, TicketStatus, decide, scan_time
from ticketing_orders.domain.order import (
    TRANSITIONS,
    IllegalTransition,
    OrderStatus,
    access_token_for,
    order_number,
    order_number_typed,
    request_fingerprint,
    token_digest,
    token_matches,
    transition,
)
from ticketing_payments.domain.payment import outcome_of
from ticketing_runtime.backoff import retry_delay_s

S = OrderStatus
LEGAL = {
    (S.PLACING, S.PENDING_PAYMENT),
    (S.PENDING_PAYMENT, S.PAID),
    (S.PENDING_PAYMENT, S.EXPIRED),
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.EXPIRED, S.PAID),  # late payment
    (S.PAID, S.PARTIALLY_REFUNDED),
    (S.PAID, S.REFUNDED),
    (S.PARTIALLY_REFUNDED, S.PARTIALLY_REFUNDED),
    (S.PARTIALLY_REFUNDED, S.REFUNDED),
}
ALL_PAIRS = list(itertools.product(OrderStatus, OrderStatus))


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL


@pytest.mark.parametrize(("current", "wanted"), sorted(LEGAL))
def test_legal_transition(current: OrderStatus, wanted: OrderStatus) -> None:
    assert transition(current, wanted) is wanted


@pytest.mark.parametrize(("current", "wanted"), [p for p in ALL_PAIRS if p not in LEGAL])
def test_illegal_transition(current: OrderStatus, wanted: OrderStatus) -> None:
    with pytest.raises(IllegalTransition, match=f"{current} cannot become {wanted}"):
        transition(current, wanted)


def test_order_numbers_are_human_and_unambiguous() -> None:
    # not unique by themselves (two of 500 draws match once in 7,000 runs): placement draws
    # again when the database already has one (tests/orders/integration/test_placement.py)
    numbers = {order_number(datetime(2026, 11, 23, tzinfo=UTC)) for _ in range(500)}
    assert len(numbers) > 490  # drawn, not one number over and over
    for number in numbers:
        assert re.fullmatch(r"ORD-20261123-[2-9A-HJKMNP-Z]{6}", number), number


@pytest.mark.parametrize(
    "typed",
    [
        "ORD-20261123-7KQ2XM",
        " ord-20261123-7kq2xm ",
        "ORD-20261123-7KQ2XM-2",  # a ticket's number, off its PDF or the door
        "ORD-20261123-7KQ2XM-12",
        "ORD 20261123 7KQ2XM",
        "ord202611237kq2xm",
    ],
)
def test_an_order_number_is_found_however_it_was_typed(typed: str) -> None:
    assert order_number_typed(typed) == "ORD-20261123-7KQ2XM"


def test_what_is_not_an_order_number_is_searched_as_typed() -> None:
    assert order_number_typed("T-1") == "T-1"
    assert order_number_typed("ORD-2026-7KQ2XM") == "ORD-2026-7KQ2XM"


def test_access_tokens_are_compared_by_digest() -> None:
    digest = token_digest("secret-token")
    assert token_matches("secret-token", digest)
    assert not token_matches("secret-tokem", digest)
    assert not token_matches(None, digest)


def test_an_order_access_token_is_derived_from_its_id_under_the_secret() -> None:
    token = access_token_for("ord_1", "secret-a")
    assert token == access_token_for("ord_1", "secret-a")  # an e-mail can carry it later
    assert token != access_token_for("ord_2", "secret-a")
    assert token != access_token_for("ord_1", "secret-b")  # unguessable without the secret
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 256 bits, safe in a URL fragment
    assert token_matches(token, token_digest(token))


def test_fingerprint_ignores_key_order_not_values() -> None:
    assert request_fingerprint({"a": 1, "b": {"c": 2}}) == request_fingerprint(
        {"b": {"c": 2}, "a": 1}
    )
    assert request_fingerprint({"a": 1}) != request_fingerprint({"a": 2})


def key() -> Ed25519PrivateKey:
    return tickets.signing_key(base64.b64encode(os.urandom(32)).decode())


def test_a_secret_round_trips_and_is_short_enough_for_a_qr_code() -> None:
    signer = key()
    claims = tickets.TicketClaims("tkt_" + "x" * 22, "prf_" + "y" * 22, "seat_" + "z" * 22, 1)
    secret = tickets.sign(signer, claims)
    assert len(secret) < 200
    assert tickets.verify(signer.public_key(), secret) == claims
    ga = tickets.TicketClaims("tkt_a", "prf_b", None, 2)
    assert tickets.verify(signer.public_key(), tickets.sign(signer, ga)) == ga


@pytest.mark.parametrize("damage", ["payload", "signature", "other-key", "format"])
def test_a_damaged_secret_does_not_verify(damage: str) -> None:
    signer = key()
    secret = tickets.sign(signer, tickets.TicketClaims("tkt_a", "prf_b", None, 1))
    payload, signature = secret.split(".")
    public = signer.public_key()
    if damage == "payload":
        secret = tickets.sign(signer, tickets.TicketClaims("tkt_c", "prf_b", None, 1)).split(".")[0]
        secret = f"{secret}.{signature}"
    elif damage == "signature":
        secret = f"{payload}.{signature[:-4]}AAAA"
    elif damage == "other-key":
        public = key().public_key()
    else:
        secret = payload
    with pytest.raises(tickets.InvalidSecret):
        tickets.verify(public, secret)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (TicketStatus.VALID, CheckinResult.OK),
        (TicketStatus.USED, CheckinResult.ALREADY_USED),
        (TicketStatus.REFUNDED, CheckinResult.REFUNDED),
        (TicketStatus.VOIDED, CheckinResult.VOIDED),
    ],
)
def test_the_door_answers_by_ticket_status(status: TicketStatus, expected: CheckinResult) -> None:
    assert decide(status, "prf_a", "prf_a") is expected
    assert decide(status, "prf_a", "prf_b") is CheckinResult.WRONG_PERFORMANCE


def test_intent_creation_backs_off_from_5_s_doubling_to_a_5_min_cap() -> None:
    delays = [retry_delay_s(n, 5, 300) for n in range(1, 10)]
    assert delays == [5, 10, 20, 40, 80, 160, 300, 300, 300]


def test_stripe_events_map_to_outcomes_and_others_are_ignored() -> None:
    intent = {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 500,
        "currency": "eur",
        "metadata": {"order_id": "ord_1"},
        "last_payment_error": {"message": "declined", "decline_code": "generic_decline"},
    }
    succeeded = outcome_of("payment_intent.succeeded", intent)
    assert succeeded is not None
    assert (succeeded.order_id, getattr(succeeded, "currency", None)) == ("ord_1", "EUR")
    failed = outcome_of("payment_intent.payment_failed", intent)
    assert getattr(failed, "decline_code", None) == "generic_decline"
    assert outcome_of("charge.succeeded", intent) is None
    # an event naming no order is not ignored: the settlement check refuses (and reports) it
    unnamed = outcome_of("payment_intent.succeeded", {**intent, "metadata": {}})
    assert unnamed is not None
    assert unnamed.order_id == ""


def test_an_offline_scans_time_is_the_devices_unless_its_clock_was_reset_or_ahead() -> None:
    received = datetime(2027, 3, 1, 20, 0, tzinfo=UTC)
    earlier = received - timedelta(minutes=40)
    assert scan_time(earlier, received) == earlier
    assert scan_time(datetime(1970, 1, 1, tzinfo=UTC), received) == received  # battery ran flat
    assert scan_time(received + timedelta(hours=2), received) == received  # clock ahead
    y2k = datetime(2000, 1, 1, tzinfo=UTC)
    assert scan_time(y2k, received) == y2k


def test_a_ticket_signed_before_a_key_rotation_still_verifies_with_the_retired_key() -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    claims = tickets.TicketClaims("tkt_1", "prf_1", None, 1)
    sold_before = tickets.sign(old, claims)
    sold_after = tickets.sign(new, claims)
    keys = (new.public_key(), tickets.public_key_of(tickets.public_key_b64(old)))
    assert tickets.verify_any(keys, sold_before) == claims
    assert tickets.verify_any(keys, sold_after) == claims
    with pytest.raises(tickets.InvalidSecret):
        tickets.verify_any(keys[:1], sold_before)  # the old key dropped: its tickets stop
    with pytest.raises(tickets.InvalidSecret):
        tickets.verify_any(keys, sold_before[:-4] + "AAAA")
