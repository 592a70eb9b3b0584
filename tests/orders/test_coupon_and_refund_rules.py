"""Coupon and refund rules of the orders domain (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ticketing_orders.adapters.inventory_api import InventoryUnavailable
from ticketing_orders.domain.coupons import (
    Coupon,
    CouponKind,
    CouponRefused,
    PricedLine,
    check_usable,
    discount,
    normalised_code,
)
from ticketing_orders.domain.errors import OrderInProgress
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import RefundPlan, RefundRefused, SoldTicket, plan_refund
from ticketing_orders.entrypoints.problems import problem_of

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LINES = [PricedLine("tier_floor", 2, 2500), PricedLine("tier_balcony", 1, 1000)]
PERCENT = Coupon(
    coupon_id="cpn_spring",
    code="SPRING",
    kind=CouponKind.PERCENT,
    percent_off=10,
    amount_off=None,
    currency=None,
    max_uses=5,
    max_uses_per_email=1,
    valid_from=NOW - timedelta(days=1),
    valid_to=NOW + timedelta(days=1),
    tier_ids=frozenset(),
    active=True,
    uses=0,
)
FIXED = replace(PERCENT, kind=CouponKind.FIXED, percent_off=None, amount_off=700, currency="EUR")


def usable(coupon: Coupon, email_uses: int = 0, currency: str = "EUR") -> None:
    check_usable(coupon, now=NOW, email_uses=email_uses, currency=currency, lines=LINES)


def test_codes_are_case_and_space_insensitive() -> None:
    assert normalised_code("  spring25 ") == "SPRING25"


def test_percent_and_fixed_discounts() -> None:
    assert discount(PERCENT, LINES) == 600  # 10 % of 6000
    assert discount(FIXED, LINES) == 700
    assert discount(replace(PERCENT, percent_off=100), LINES) == 6000


def test_a_discount_never_exceeds_what_it_applies_to() -> None:
    only_balcony = replace(FIXED, amount_off=5000, tier_ids=frozenset({"tier_balcony"}))
    assert discount(only_balcony, LINES) == 1000
    assert discount(replace(PERCENT, tier_ids=frozenset({"tier_floor"})), LINES) == 500


def test_percent_discounts_round_half_up() -> None:
    assert discount(replace(PERCENT, percent_off=15), [PricedLine("t", 1, 1230)]) == 185  # 184.5


def test_a_usable_coupon_passes() -> None:
    usable(PERCENT)
    usable(FIXED)


@pytest.mark.parametrize(
    ("coupon", "email_uses", "currency", "reason"),
    [
        (replace(PERCENT, active=False), 0, "EUR", "inactive"),
        (replace(PERCENT, valid_from=NOW + timedelta(seconds=1)), 0, "EUR", "not_yet_valid"),
        (replace(PERCENT, valid_to=NOW), 0, "EUR", "expired"),
        (replace(PERCENT, uses=5), 0, "EUR", "used_up"),
        (PERCENT, 1, "EUR", "used_up_for_email"),
        (FIXED, 0, "USD", "wrong_currency"),
        (replace(PERCENT, tier_ids=frozenset({"tier_vip"})), 0, "EUR", "not_applicable"),
    ],
)
def test_refusals_say_why(coupon: Coupon, email_uses: int, currency: str, reason: str) -> None:
    with pytest.raises(CouponRefused) as refused:
        usable(coupon, email_uses, currency)
    assert refused.value.reason == reason
    assert coupon.code in refused.value.detail


def test_no_limits_means_unlimited() -> None:
    usable(replace(PERCENT, max_uses=None, max_uses_per_email=None, uses=10_000), email_uses=99)


THREE = [SoldTicket(f"t{i}", "valid", 2500) for i in range(3)]


def plan(**changes: Any) -> RefundPlan:
    args = {
        "status": OrderStatus.PAID,
        "total": 7500,
        "already_refunded": 0,
        "tickets": THREE,
        "ticket_ids": None,
        "amount": None,
    }
    return plan_refund(**{**args, **changes})  # type: ignore[arg-type]


def test_a_full_refund_voids_every_ticket_and_returns_everything() -> None:
    full = plan()
    assert (full.amount, full.ticket_ids, full.order_status) == (
        7500,
        ("t0", "t1", "t2"),
        OrderStatus.REFUNDED,
    )


def test_one_ticket_of_three_refunds_its_share() -> None:
    one = plan(ticket_ids=["t1"])
    assert (one.amount, one.ticket_ids, one.order_status) == (
        2500,
        ("t1",),
        OrderStatus.PARTIALLY_REFUNDED,
    )


def test_a_coupon_discount_is_shared_across_refunded_tickets() -> None:
    # 7500 of tickets paid 6000 after a coupon: one ticket gives back a third of 6000
    assert plan(total=6000, ticket_ids=["t0"]).amount == 2000


def test_the_last_tickets_take_whatever_is_left() -> None:
    after_two = [replace(t, status="refunded") for t in THREE[:2]] + [THREE[2]]
    last = plan(tickets=after_two, already_refunded=4999, ticket_ids=["t2"])
    assert (last.amount, last.order_status) == (2501, OrderStatus.REFUNDED)


def test_an_amount_alone_keeps_the_tickets() -> None:
    goodwill = plan(amount=1000)
    assert (goodwill.amount, goodwill.ticket_ids) == (1000, ())
    assert goodwill.order_status is OrderStatus.PARTIALLY_REFUNDED


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"status": OrderStatus.PENDING_PAYMENT}, 409, "order-not-refundable"),
        ({"status": OrderStatus.REFUNDED}, 409, "order-not-refundable"),
        ({"amount": 7501}, 422, "refund-too-large"),
        ({"already_refunded": 7000, "amount": 501}, 422, "refund-too-large"),
        ({"ticket_ids": ["nope"]}, 422, "unknown-ticket"),
        ({"ticket_ids": ["t0", "t0"]}, 422, "duplicate-ticket"),
        ({"amount": 0}, 422, "nothing-to-refund"),
    ],
)
def test_refund_refusals(changes: dict[str, object], status: int, code: str) -> None:
    with pytest.raises(RefundRefused) as refused:
        plan(**changes)
    answer = problem_of(refused.value)  # the HTTP answer comes from the service's one table
    assert (answer.status, answer.code) == (status, code)


def test_a_used_or_refunded_ticket_is_not_refunded() -> None:
    tickets = [replace(THREE[0], status="used"), replace(THREE[1], status="refunded"), THREE[2]]
    for ticket_id in ("t0", "t1"):
        with pytest.raises(RefundRefused) as refused:
            plan(tickets=tickets, ticket_ids=[ticket_id])
        assert problem_of(refused.value).code == "ticket-not-refundable"
    # a full refund skips the used ticket and keeps its share
    rest = plan(tickets=tickets, already_refunded=2500)
    assert (rest.ticket_ids, rest.amount) == (("t2",), 2500)
    assert rest.order_status is OrderStatus.PARTIALLY_REFUNDED


def test_a_cancelled_show_gives_back_a_used_tickets_share_too() -> None:
    """Cancelled after the doors opened: its holder got in, to a show that did not happen. Only
    the unscanned ticket's share came back, and the order stayed partly refunded."""
    tickets = [replace(THREE[0], status="used"), replace(THREE[1], status="refunded"), THREE[2]]
    rest = plan(tickets=tickets, already_refunded=2500, show_cancelled=True)
    assert (rest.ticket_ids, rest.amount) == (("t2",), 5000)
    assert rest.order_status is OrderStatus.REFUNDED


def test_everything_left_is_the_money_left_once_no_ticket_is_left() -> None:
    """Every ticket refunded with €1 between them: "everything left" answered nothing to
    refund, with €74 still paid in."""
    voided = [replace(t, status="refunded") for t in THREE]
    rest = plan(tickets=voided, already_refunded=100)
    assert (rest.ticket_ids, rest.amount, rest.order_status) == ((), 7400, OrderStatus.REFUNDED)


def test_refusals_to_retry_say_when() -> None:
    """A racing request under the same key, and inventory unreachable: the client sends the
    same request again, after the Retry-After they name."""
    racing = problem_of(OrderInProgress("another request with this key is still running"))
    assert (racing.status, racing.code, racing.extra["retry_after_s"]) == (
        409,
        "order-in-progress",
        1,
    )
    away = problem_of(InventoryUnavailable("connection refused"))
    assert (away.status, away.extra["retry_after_s"]) == (503, 2)


def test_money_refunded_beyond_the_total_never_makes_a_negative_refund() -> None:
    """Refunds stored before over-refunding was refused may add up past the total."""
    assert plan(already_refunded=9000).amount == 0
