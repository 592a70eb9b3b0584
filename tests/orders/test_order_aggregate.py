"""The order aggregate without servers: each method moves the order through the state machine and
returns the event it announces; a move the machine forbids changes nothing."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ticketing_contracts import (
    OrderCancelledV1,
    OrderCustomerErasedV1,
    OrderExpiredV1,
    OrderPaidV1,
    OrderPlacedV1,
)
from ticketing_orders.domain import tickets as secrets
from ticketing_orders.domain.errors import CustomerErased, OrderNotCancellable
from ticketing_orders.domain.model import (
    Order,
    OrderLine,
    PaymentStatus,
    PinnedHold,
    TicketStatus,
)
from ticketing_orders.domain.order import IllegalTransition, OrderStatus
from ticketing_orders.domain.refunds import OrderNotRefundable, Refund
from ticketing_orders.entrypoints.problems import problem_of
from ticketing_orders.settings import DEV_TICKET_SIGNING_KEY

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
KEY = secrets.signing_key(DEV_TICKET_SIGNING_KEY)
PINNED = PinnedHold(
    performance_id="perf_1",
    event_name="Hamlet",
    starts_at=NOW + timedelta(days=3),
    time_zone="Europe/Lisbon",
    venue_name="Teatro",
    venue_address="Rua 1",
    currency="EUR",
    lines=(
        OrderLine("tier_floor", "Floor", 2, 2500, ["A-1", "A-2"]),
        OrderLine("tier_standing", "Standing", 1, 1000, []),
    ),
)


def placing(**changes: object) -> Order:
    order = Order(
        order_id="ord_1",
        order_number="ORD-20261202-ABCDEF",
        session_id="ses_1",
        idempotency_key="key-12345678",
        request_fingerprint="f",
        hold_id="hld_1",
        customer_name="Ana",
        customer_email="ana@example.test",
        access_token_digest="d",
    )
    return replace(order, **changes)  # type: ignore[arg-type]


def priced(**changes: object) -> Order:
    order = placing(**changes)
    order.price(PINNED, discount=600, deadline=NOW + timedelta(minutes=15))
    return order


def paid(**changes: object) -> tuple[Order, OrderPaidV1]:
    order = priced(**changes)
    counter = itertools.count()
    event = order.mark_paid(
        payment_intent_id="pi_1",
        now=NOW,
        ticket_key=KEY,
        new_ticket_id=lambda: f"tkt_{next(counter)}",
    )
    return order, event


def refund(order: Order, amount: int, ticket_ids: list[str]) -> Refund:
    return Refund("rfd_1", order.order_id, amount, "EUR", ticket_ids, reason="asked")


def test_pricing_moves_a_placing_order_to_pending_payment_and_announces_it() -> None:
    order = placing()
    placed = order.price(PINNED, discount=600, deadline=NOW)
    assert order.status is OrderStatus.PENDING_PAYMENT
    assert (order.gross_amount, order.discount_amount, order.total_amount) == (6000, 600, 5400)
    assert isinstance(placed, OrderPlacedV1)
    assert placed.total.amount == 5400
    assert [line.quantity for line in placed.lines] == [2, 1]
    assert order.needs_intent


def test_a_complimentary_desk_sale_is_priced_at_nothing() -> None:
    order = placing(payment_method="complimentary")
    placed = order.price(PINNED, discount=0, deadline=NOW)
    assert (order.discount_amount, order.total_amount, placed.total.amount) == (6000, 0, 0)
    assert not order.needs_intent


def test_an_order_is_priced_once() -> None:
    order = priced()
    with pytest.raises(IllegalTransition):
        order.price(PINNED, discount=0, deadline=NOW)


def test_payment_issues_one_signed_ticket_per_seat_or_unit() -> None:
    order, event = paid()
    assert order.status is OrderStatus.PAID
    assert order.payment_status is PaymentStatus.SUCCEEDED
    assert [t.seat_id for t in order.tickets] == ["A-1", "A-2", None]
    assert [t.ticket_number for t in order.tickets] == [
        "ORD-20261202-ABCDEF-1",
        "ORD-20261202-ABCDEF-2",
        "ORD-20261202-ABCDEF-3",
    ]
    claims = secrets.verify(KEY.public_key(), order.tickets[0].secret)
    assert (claims.ticket_id, claims.performance_id, claims.seat_id) == ("tkt_0", "perf_1", "A-1")
    assert isinstance(event, OrderPaidV1)
    assert [t.ticket_id for t in event.tickets] == ["tkt_0", "tkt_1", "tkt_2"]
    assert (event.total.amount, event.payment_intent_id) == (5400, "pi_1")
    # a subscriber bound to order.paid alone prices each ticket without order.placed
    assert [t.unit_price for t in event.tickets] == [t.unit_price for t in order.tickets]
    assert all(t.unit_price is not None for t in event.tickets)


def test_a_free_order_is_paid_without_a_payment_and_a_cash_sale_with_one() -> None:
    free = placing()
    free.price(PINNED, discount=6000, deadline=NOW)
    free.mark_paid(payment_intent_id="", now=NOW, ticket_key=KEY, new_ticket_id=lambda: "t")
    assert free.payment_status is PaymentStatus.NOT_REQUIRED
    assert free.payment_intent_id is None
    cash, announced = paid(payment_method="cash")
    assert cash.payment_status is PaymentStatus.SUCCEEDED
    assert announced.payment_method == "cash"  # subscribers tell a desk sale from a card one
    assert paid()[1].payment_method is None


def test_a_late_payment_pays_an_expired_order_but_not_a_cancelled_one() -> None:
    late = priced()
    late.expire(NOW)
    announced = late.mark_paid(
        payment_intent_id="pi", now=NOW, ticket_key=KEY, new_ticket_id=lambda: "t"
    )
    assert late.status is OrderStatus.PAID
    # subscribers are told: its seats were released, a refund follows if they were sold again
    assert announced.after_deadline is True
    assert paid()[1].after_deadline is False
    cancelled = priced()
    cancelled.cancel("changed my mind", NOW)
    with pytest.raises(IllegalTransition):
        cancelled.mark_paid(
            payment_intent_id="pi", now=NOW, ticket_key=KEY, new_ticket_id=lambda: "t"
        )
    assert (cancelled.status, cancelled.tickets) == (OrderStatus.CANCELLED, [])


def test_expiry_ends_an_unpaid_order_and_announces_it() -> None:
    order = priced()
    event = order.expire(NOW)
    assert (order.status, order.expired_at) == (OrderStatus.EXPIRED, NOW)
    assert isinstance(event, OrderExpiredV1)
    assert (event.hold_id, event.performance_id) == ("hld_1", "perf_1")
    paid_order, _ = paid()
    with pytest.raises(IllegalTransition):
        paid_order.expire(NOW)
    assert paid_order.status is OrderStatus.PAID


def test_cancelling_an_unpaid_order_announces_it_and_a_paid_one_is_refused() -> None:
    order = priced()
    event = order.cancel("cancelled by the customer", NOW)
    assert (order.status, order.cancelled_at) == (OrderStatus.CANCELLED, NOW)
    assert isinstance(event, OrderCancelledV1)
    assert event.reason == "cancelled by the customer"
    paid_order, _ = paid()
    with pytest.raises(OrderNotCancellable):
        paid_order.cancel("too late", NOW)
    assert paid_order.status is OrderStatus.PAID


def test_applying_a_partial_refund_voids_its_tickets_only() -> None:
    order, _ = paid()
    plan = order.plan_refund(ticket_ids=["tkt_0"], amount=None, already_refunded=0)
    event = order.apply(plan, refund(order, plan.amount, ["tkt_0"]))
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert [t.status for t in order.tickets] == [
        TicketStatus.REFUNDED,
        TicketStatus.VALID,
        TicketStatus.VALID,
    ]
    assert (event.voided_ticket_ids, event.fully_refunded) == (["tkt_0"], False)
    assert event.amount.amount == plan.amount == 2250  # 2500 of 6000 gross, of 5400 paid


def test_a_ticket_of_a_tier_the_coupon_left_alone_gets_back_what_it_cost() -> None:
    """600 off the floor tickets only: the standing ticket was paid in full, 1000, and was
    refunded 900, its pro rata part of the whole order; each floor ticket paid 2200."""
    order, _ = paid()
    floor_only = frozenset({"tier_floor"})

    def share(ticket_id: str, tiers: frozenset[str]) -> int:
        return order.plan_refund(
            ticket_ids=[ticket_id], amount=None, already_refunded=0, discounted_tiers=tiers
        ).amount

    assert (share("tkt_2", floor_only), share("tkt_0", floor_only)) == (1000, 2200)
    assert (share("tkt_2", frozenset()), share("tkt_0", frozenset())) == (900, 2250)
    assert share("tkt_2", frozenset({"tier_gallery"})) == 900  # none of its tiers: pro rata


def test_applying_the_rest_refunds_the_order_fully() -> None:
    order, _ = paid()
    plan = order.plan_refund(ticket_ids=None, amount=None, already_refunded=0)
    event = order.apply(plan, refund(order, plan.amount, list(plan.ticket_ids)))
    assert order.status is OrderStatus.REFUNDED
    assert all(t.status is TicketStatus.REFUNDED for t in order.tickets)
    assert (event.amount.amount, event.fully_refunded) == (5400, True)


def test_an_unpaid_order_has_no_refund_plan() -> None:
    with pytest.raises(OrderNotRefundable):
        priced().plan_refund(ticket_ids=None, amount=None, already_refunded=0)


def test_money_for_a_cancelled_order_goes_back_without_moving_it() -> None:
    order = priced()
    order.cancel("cancelled by the customer", NOW)
    event = order.return_unwanted_payment(refund(order, 5400, []))
    assert order.status is OrderStatus.CANCELLED
    assert (event.amount.amount, event.fully_refunded, event.voided_ticket_ids) == (5400, True, [])


def test_a_customer_with_tickets_still_to_use_or_an_order_being_bought_is_kept() -> None:
    assert "still being bought" in (priced().erasure_refusal(NOW) or "")
    order, _ = paid()  # the performance is in three days
    assert "valid tickets for a performance still to come" in (order.erasure_refusal(NOW) or "")
    # the day of the performance the door and the desk still need the name
    assert order.erasure_refusal(PINNED.starts_at + timedelta(hours=23)) is not None
    assert order.erasure_refusal(PINNED.starts_at + timedelta(days=1)) is None
    for ticket in order.tickets:  # refunded: nothing left to use
        ticket.status = TicketStatus.REFUNDED
    assert order.erasure_refusal(NOW) is None
    expired = priced()
    expired.expire(NOW + timedelta(minutes=16))
    assert expired.erasure_refusal(NOW) is None


def test_erasing_the_customer_keeps_the_order_without_the_person_and_announces_it_once() -> None:
    order, _ = paid()
    order.placed_response = {"order_id": "ord_1", "customer": {"name": "Ana", "email": "a@b.c"}}
    erased = order.erase_customer(NOW)

    assert isinstance(erased, OrderCustomerErasedV1)
    assert (erased.order_id, erased.erased_at) == ("ord_1", NOW)
    assert (order.customer_name, order.customer_email) == ("(erased)", None)
    assert order.placed_response == {
        "order_id": "ord_1",
        "customer": {"name": "(erased)", "email": None},
    }
    assert order.customer.email == ""  # events carry no address
    assert order.status is OrderStatus.PAID  # the sale stays, and its tickets
    assert len(order.tickets) == 3
    assert order.erase_customer(NOW + timedelta(days=1)) is None
    assert order.erased_at == NOW


def test_a_correction_of_the_customer_is_announced_and_none_is_not() -> None:
    order, _ = paid()
    assert order.correct_customer(order.customer_name, None, NOW) is None
    corrected = order.correct_customer(None, "ada@example.org", NOW)
    assert corrected is not None
    assert (corrected.order_id, corrected.corrected_at) == (order.order_id, NOW)
    assert corrected.customer.email == "ada@example.org"
    assert corrected.customer.name == order.customer_name


def test_an_erased_customer_is_not_recorded_again_by_a_correction() -> None:
    """A clerk's correction after the erasure put the name and address back on the order, in
    its searches and its export: an erasure request undone by anyone with a staff token."""
    order, _ = paid()
    order.erase_customer(NOW)
    with pytest.raises(CustomerErased) as refused:
        order.correct_customer("Ada Lovelace", "ada@example.org", NOW)
    assert problem_of(refused.value).code == "customer-erased"
    assert (order.customer_name, order.customer_email) == ("(erased)", None)
