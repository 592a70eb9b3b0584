"""The order aggregate: an order with its lines and tickets. Its methods move it through the
state machine (``order.transition``) and return the event each change announces."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ticketing_contracts import (
    Customer,
    IssuedTicket,
    Money,
    OrderCancelledV1,
    OrderCustomerCorrectedV1,
    OrderCustomerErasedV1,
    OrderExpiredV1,
    OrderPaidV1,
    OrderPlacedV1,
    OrderRefundedV1,
    OrderRefundOwedV1,
)
from ticketing_contracts import (
    OrderLine as PlacedLine,
)
from ticketing_orders.domain import tickets as secrets
from ticketing_orders.domain.errors import CustomerErased, OrderNotCancellable
from ticketing_orders.domain.order import (
    SETTLED,
    IllegalTransition,
    OrderStatus,
    ticket_number,
    transition,
)
from ticketing_orders.domain.refunds import (
    Refund,
    RefundCause,
    RefundPlan,
    SoldTicket,
    plan_refund,
)


class TicketStatus(StrEnum):
    VALID = "valid"
    USED = "used"
    REFUNDED = "refunded"
    VOIDED = "voided"


#: tickets that admit someone (or did): the ones printed, mailed and served as PDFs
LIVE_TICKETS = frozenset({TicketStatus.VALID, TicketStatus.USED})


class PaymentStatus(StrEnum):
    CREATING = "creating"  # no payment intent yet
    OPEN = "open"
    FAILED = "failed"  # payable again
    SUCCEEDED = "succeeded"
    NOT_REQUIRED = "not_required"  # free, or given away at the desk


DESK_PAYMENTS = frozenset({"cash", "card_terminal"})  # money taken at the box office
#: the name an order keeps once its customer's personal data is erased
ERASED_NAME = "(erased)"
#: how long after a performance begins its tickets may still be needed (the door, the desk)
TICKETS_NEEDED_AFTER_START = timedelta(days=1)


@dataclass
class OrderLine:
    tier_id: str
    tier_name: str
    quantity: int
    unit_price: int
    seat_ids: list[str]
    seats: list[dict[str, Any]] = field(default_factory=list)  # labels as printed

    def units(self) -> list[str | None]:
        """One entry per ticket: its seat, or ``None`` for general admission."""
        return list(self.seat_ids) if self.seat_ids else [None] * self.quantity


@dataclass
class Ticket:
    ticket_id: str
    ticket_number: str
    order_id: str
    performance_id: str
    tier_id: str
    seat_id: str | None
    unit_price: int
    secret: str
    version: int = 1
    status: TicketStatus = TicketStatus.VALID
    used_at: datetime | None = None
    used_by: str | None = None
    used_device: str | None = None


@dataclass(frozen=True)
class PinnedHold:
    """What inventory answered when the hold was pinned to the order."""

    performance_id: str
    event_name: str
    starts_at: datetime
    time_zone: str
    venue_name: str | None
    venue_address: str | None
    currency: str
    lines: tuple[OrderLine, ...]

    @property
    def gross(self) -> int:
        return sum(line.unit_price * line.quantity for line in self.lines)


@dataclass
class Order:
    order_id: str
    order_number: str
    session_id: str
    idempotency_key: str
    request_fingerprint: str
    hold_id: str
    customer_name: str
    customer_email: str | None  # None: a desk sale to someone who gave no address
    access_token_digest: str
    status: OrderStatus = OrderStatus.PLACING
    payment_method: str | None = None  # None: online; else the desk's
    sold_by: str | None = None
    coupon_code: str | None = None
    performance_id: str | None = None
    event_name: str | None = None
    starts_at: datetime | None = None
    time_zone: str | None = None
    venue_name: str | None = None
    venue_address: str | None = None
    gross_amount: int | None = None
    discount_amount: int = 0
    total_amount: int | None = None
    currency: str | None = None
    payment_deadline: datetime | None = None
    payment_intent_id: str | None = None
    client_secret: str | None = None
    payment_status: PaymentStatus = PaymentStatus.CREATING
    payment_error: str | None = None
    placing_until: datetime | None = None
    placed_response: dict[str, Any] | None = None
    created_at: datetime | None = None
    paid_at: datetime | None = None
    expired_at: datetime | None = None
    cancelled_at: datetime | None = None
    erased_at: datetime | None = None
    lines: list[OrderLine] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)

    def correct_customer(
        self, name: str | None, email: str | None, now: datetime
    ) -> OrderCustomerCorrectedV1 | None:
        """A mistyped name or address put right (staff); ``None``: nothing changed. Raises
        ``CustomerErased`` once the customer was erased (a clerk undid an erasure request)."""
        if self.erased_at is not None:
            raise CustomerErased(
                f"the customer of order {self.order_number} was erased on"
                f" {self.erased_at:%Y-%m-%d}: their personal data is not recorded again"
            )
        before = (self.customer_name, self.customer_email)
        self.customer_name = name if name is not None else self.customer_name
        self.customer_email = email if email is not None else self.customer_email
        if (self.customer_name, self.customer_email) == before:
            return None
        return OrderCustomerCorrectedV1(
            order_id=self.order_id, customer=self.customer, corrected_at=now
        )

    def erasure_refusal(self, now: datetime) -> str | None:
        """Why the customer's personal data must stay for now (``None``: it may go): an order
        still being bought, or tickets still to be used (until a day after the start)."""
        if self.status in (OrderStatus.PLACING, OrderStatus.PENDING_PAYMENT):
            return f"order {self.order_number} is still being bought (it is {self.status})"
        if any(t.status is TicketStatus.VALID for t in self.tickets) and (
            self.starts_at is None or now < self.starts_at + TICKETS_NEEDED_AFTER_START
        ):
            return f"order {self.order_number} has valid tickets for a performance still to come"
        return None

    def erase_customer(self, now: datetime) -> OrderCustomerErasedV1 | None:
        """The customer's name and address gone from the order (and from the answer its
        Idempotency-Key replays); the order, its tickets and its money stay. ``None``: erased
        already."""
        if self.erased_at is not None:
            return None
        self.customer_name, self.customer_email, self.erased_at = ERASED_NAME, None, now
        if self.placed_response is not None and "customer" in self.placed_response:
            erased = {"name": ERASED_NAME, "email": None}
            self.placed_response = {**self.placed_response, "customer": erased}
        return OrderCustomerErasedV1(order_id=self.order_id, erased_at=now)

    @property
    def customer(self) -> Customer:
        """The customer as events carry them (an empty e-mail: a desk sale without an address)."""
        return Customer(name=self.customer_name, email=self.customer_email or "")

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED

    @property
    def is_priced(self) -> bool:
        return self.status is not OrderStatus.PLACING

    @property
    def needs_intent(self) -> bool:
        """An online order with money to take and no Stripe intent yet."""
        return bool(self.total_amount) and not self.payment_intent_id and not self.payment_method

    def _move(self, wanted: OrderStatus) -> None:
        self.status = transition(self.status, wanted)

    def _money(self, amount: int) -> Money:
        assert self.currency is not None, "an order is priced before it has money"
        return Money(amount=amount, currency=self.currency)

    def _performance(self) -> str:
        assert self.performance_id is not None, "an order is priced before it has a performance"
        return self.performance_id

    def _about(self) -> dict[str, Any]:
        """What every event of a placed order says about it."""
        return {
            "order_id": self.order_id,
            "hold_id": self.hold_id,
            "performance_id": self._performance(),
            "customer": self.customer,
        }

    def price(self, pinned: PinnedHold, *, discount: int, deadline: datetime) -> OrderPlacedV1:
        """The hold is pinned: the order has its lines and total, and waits for its payment."""
        self._move(OrderStatus.PENDING_PAYMENT)
        gross = pinned.gross
        if self.payment_method == "complimentary":
            discount = gross  # a free seat given at the desk: no revenue
        self.lines = list(pinned.lines)
        self.performance_id, self.event_name = pinned.performance_id, pinned.event_name
        self.starts_at, self.time_zone = pinned.starts_at, pinned.time_zone
        self.venue_name, self.venue_address = pinned.venue_name, pinned.venue_address
        self.currency, self.payment_deadline = pinned.currency, deadline
        self.gross_amount, self.discount_amount = gross, discount
        self.total_amount = gross - discount
        return OrderPlacedV1(
            **self._about(),
            order_number=self.order_number,
            payment_method=self.payment_method,
            lines=[
                PlacedLine(
                    tier_id=line.tier_id,
                    quantity=line.quantity,
                    seat_ids=line.seat_ids,
                    unit_price=self._money(line.unit_price),
                )
                for line in self.lines
            ],
            total=self._money(self.total_amount),
            payment_deadline=deadline,
        )

    def mark_paid(
        self,
        *,
        payment_intent_id: str,
        now: datetime,
        ticket_key: Ed25519PrivateKey,
        new_ticket_id: Callable[[], str],
    ) -> OrderPaidV1:
        """Paid (also after its deadline): one signed ticket per seat or unit, at once.
        ``payment_intent_id`` is empty for a free order or a desk sale."""
        after_deadline = self.status is OrderStatus.EXPIRED
        self._move(OrderStatus.PAID)
        performance_id = self._performance()
        units = [(line, seat) for line in self.lines for seat in line.units()]
        issued = []
        for index, (line, seat_id) in enumerate(units):
            ticket_id = new_ticket_id()
            claims = secrets.TicketClaims(ticket_id, performance_id, seat_id, 1)
            issued.append(
                Ticket(
                    ticket_id=ticket_id,
                    ticket_number=ticket_number(self.order_number, index),
                    order_id=self.order_id,
                    performance_id=performance_id,
                    tier_id=line.tier_id,
                    seat_id=seat_id,
                    unit_price=line.unit_price,
                    secret=secrets.sign(ticket_key, claims),
                )
            )
        self.tickets = issued
        self.paid_at = now
        took_money = bool(payment_intent_id) or self.payment_method in DESK_PAYMENTS
        self.payment_status = PaymentStatus.SUCCEEDED if took_money else PaymentStatus.NOT_REQUIRED
        self.payment_intent_id = payment_intent_id or None
        self.payment_error = None
        return OrderPaidV1(
            **self._about(),
            order_number=self.order_number,
            total=self._money(self.total_amount or 0),
            payment_intent_id=payment_intent_id,
            tickets=[IssuedTicket.model_validate(t, from_attributes=True) for t in issued],
            paid_at=now,
            payment_method=self.payment_method,
            after_deadline=after_deadline,
        )

    def expire(self, now: datetime) -> OrderExpiredV1:
        self._move(OrderStatus.EXPIRED)
        self.expired_at = now
        return OrderExpiredV1(**self._about(), expired_at=now)

    def cancel(
        self, reason: str, now: datetime, *, performance_cancelled: bool = False
    ) -> OrderCancelledV1:
        """Raises ``OrderNotCancellable`` for an order past payment (refund it instead)."""
        try:
            self._move(OrderStatus.CANCELLED)
        except IllegalTransition as exc:
            raise OrderNotCancellable(str(exc)) from exc
        self.cancelled_at = now
        return OrderCancelledV1(
            **self._about(), reason=reason, performance_cancelled=performance_cancelled
        )

    def plan_refund(
        self,
        *,
        ticket_ids: Sequence[str] | None,
        amount: int | None,
        already_refunded: int,
        show_cancelled: bool = False,
        discounted_tiers: frozenset[str] = frozenset(),
    ) -> RefundPlan:
        """What refunding these tickets or this amount does (``domain.refunds.plan_refund``).
        ``discounted_tiers``: the tiers the order's coupon took money off (empty: every tier)."""
        weights = self._paid_weights(discounted_tiers)
        return plan_refund(
            status=self.status,
            total=self.total_amount or 0,
            already_refunded=already_refunded,
            tickets=[
                SoldTicket(t.ticket_id, t.status, weight)
                for t, weight in zip(self.tickets, weights, strict=True)
            ],
            ticket_ids=ticket_ids,
            amount=amount,
            show_cancelled=show_cancelled,
        )

    def _paid_weights(self, discounted_tiers: frozenset[str]) -> list[int]:
        """Each ticket's part of what was paid, in proportion: its price, less its share of a
        coupon that took money off its tier only (a ticket of another tier paid in full)."""
        prices = [t.unit_price for t in self.tickets]
        applicable = sum(t.unit_price for t in self.tickets if t.tier_id in discounted_tiers)
        if not self.discount_amount or not discounted_tiers or applicable <= 0:
            return prices  # the discount spread over every ticket alike
        kept = max(applicable - self.discount_amount, 0)  # what the discounted ones paid
        return [
            t.unit_price * (kept if t.tier_id in discounted_tiers else applicable)
            for t in self.tickets
        ]

    def apply(self, plan: RefundPlan, refund: Refund) -> OrderRefundedV1:
        """The refund is made: its tickets are refunded and the order is (partly) refunded."""
        self._move(plan.order_status)
        voided = set(plan.ticket_ids)
        for ticket in self.tickets:
            if ticket.ticket_id in voided:
                ticket.status = TicketStatus.REFUNDED
        fully = self.status is OrderStatus.REFUNDED
        return self._refunded(refund, fully=fully)

    def return_unwanted_payment(self, refund: Refund) -> OrderRefundedV1:
        """Money for an order that can no longer be sold (cancelled before the payment landed):
        all of it goes back; the order stays cancelled, its payment taken (and refunded: it no
        longer reads as one never made)."""
        self.payment_status = PaymentStatus.SUCCEEDED
        return self._refunded(refund, fully=True)

    def owe_desk_refund(self, amount: int, reason: str) -> OrderRefundOwedV1:
        """A desk sale that will not take place: the desk owes ``amount`` back in person."""
        assert self.payment_method is not None, "only a desk sale's money is in a till"
        assert self.currency is not None, "a desk sale is priced"
        return OrderRefundOwedV1(
            order_id=self.order_id,
            performance_id=self._performance(),
            amount=Money(amount=amount, currency=self.currency),
            payment_method=self.payment_method,
            reason=reason,
            customer=self.customer,
        )

    def _refunded(self, refund: Refund, *, fully: bool) -> OrderRefundedV1:
        return OrderRefundedV1(
            order_id=self.order_id,
            performance_id=self._performance(),
            refund_id=refund.refund_id,
            amount=Money(amount=refund.amount, currency=refund.currency),
            voided_ticket_ids=list(refund.ticket_ids),
            fully_refunded=fully,
            automatic=refund.automatic,
            customer=self.customer,
            reason=refund.reason,
            payment_method=self.payment_method,
            cause=refund.cause.value,
            performance_cancelled=refund.cause is RefundCause.PERFORMANCE_CANCELLED,
        )

    def record_intent(self, payment_intent_id: str, client_secret: str | None) -> None:
        self.payment_intent_id, self.client_secret = payment_intent_id, client_secret
        self.payment_status = PaymentStatus.OPEN

    def record_payment_failure(self, reason: str) -> None:
        self.payment_status, self.payment_error = PaymentStatus.FAILED, reason

    def record_answer(self, response: dict[str, Any]) -> None:
        """The placement's answer, replayed to a retry with the same Idempotency-Key."""
        self.placed_response = response

    def replayed_answer(self) -> dict[str, Any] | None:
        """The placement's answer again; once the order is no longer payable (expired,
        cancelled, paid), without its payment's client secret, as reading the order answers."""
        answer = self.placed_response
        if answer is None or self.status is OrderStatus.PENDING_PAYMENT:
            return answer
        payment = answer.get("payment")
        if not isinstance(payment, dict) or payment.get("client_secret") is None:
            return answer
        return {**answer, "payment": {**payment, "client_secret": None}}
