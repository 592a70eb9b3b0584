"""Refunds: which tickets are voided and how much money goes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ticketing_orders.domain.errors import OrdersRefusal
from ticketing_orders.domain.order import OrderStatus


class RefundStatus(StrEnum):
    PENDING = "pending"  # asked of payments (and Stripe); retried while Stripe is down
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # Stripe refused: visible on the order, staff decide


class RefundCause(StrEnum):
    """Why money went back: staff decided, or one of the automatic cases, each made at most
    once per order under its own idempotency key (``AUTOMATIC_KEYS``)."""

    STAFF = "staff"
    LATE_PAYMENT = "late_payment"  # paid after expiry, its seats sold meanwhile
    UNWANTED_PAYMENT = "unwanted_payment"  # paid after the order was cancelled
    PERFORMANCE_CANCELLED = "performance_cancelled"  # its performance (or event) was cancelled


AUTOMATIC_KEYS: dict[RefundCause, str] = {
    RefundCause.LATE_PAYMENT: "sale-rejected",
    RefundCause.UNWANTED_PAYMENT: "unwanted-payment",
    RefundCause.PERFORMANCE_CANCELLED: "performance-cancelled",
}


@dataclass(frozen=True)
class SoldTicket:
    ticket_id: str
    status: str  # valid, used, refunded, voided
    paid: int  # weighs its part of the money paid: its price, less a coupon's share


@dataclass
class Refund:
    """Money (and tickets) given back for an order; its status follows payments' answer."""

    refund_id: str
    order_id: str
    amount: int
    currency: str
    ticket_ids: list[str]
    automatic: bool = False
    reason: str | None = None
    requested_by: str | None = None
    idempotency_key: str | None = None
    status: RefundStatus = RefundStatus.PENDING
    stripe_refund_id: str | None = None
    error: str | None = None
    request_fingerprint: str | None = None  # of the staff request that made it, for its key
    paid_back_by: str | None = None  # a failed refund paid back by hand: by whom
    paid_back_from_till: str | None = None  # cash or card_terminal: out of their desk till
    paid_back_at: datetime | None = None
    created_at: datetime | None = field(default=None, compare=False)
    updated_at: datetime | None = field(default=None, compare=False)

    def paid_back_by_hand(
        self, staff: str, note: str, at: datetime, from_till: str | None = None
    ) -> str | None:
        """Staff gave a failed refund's money back another way (a bank transfer, the Stripe
        dashboard, cash; ``from_till``: out of their desk till, which counts it): it counts as
        succeeded, Stripe's error kept beside the note; the error it had."""
        if self.status is not RefundStatus.FAILED:
            raise RefundNotFailed(f"refund {self.refund_id} is {self.status.value}, not failed")
        stripe_error = self.error
        self.status = RefundStatus.SUCCEEDED
        self.error = f"Stripe: {stripe_error}; paid back by {staff}: {note}"
        self.paid_back_by, self.paid_back_from_till, self.paid_back_at = staff, from_till, at
        return stripe_error

    @property
    def cause(self) -> RefundCause:
        if not self.automatic:
            return RefundCause.STAFF
        for cause, key in AUTOMATIC_KEYS.items():
            if key == self.idempotency_key:
                return cause
        return RefundCause.LATE_PAYMENT  # the only automatic refund before causes were named


@dataclass(frozen=True)
class RefundPlan:
    amount: int
    ticket_ids: tuple[str, ...]
    order_status: OrderStatus  # after this refund


class RefundRefused(OrdersRefusal):
    """Why a refund cannot be made (each kind below has its own problem type)."""


class OrderNotRefundable(RefundRefused):
    pass


class RefundTooLarge(RefundRefused):
    pass


class NothingToRefund(RefundRefused):
    pass


class DuplicateTicket(RefundRefused):
    pass


class UnknownTicket(RefundRefused):
    pass


class RefundNotFound(RefundRefused):
    pass


class FailedRefundUnsettled(RefundRefused):
    """A refund of the order failed at Stripe and is not settled yet: another staff refund
    would let its money be returned twice (refunded again, and paid back by hand as well)."""


class RefundNotFailed(RefundRefused):
    """Only a refund Stripe failed is settled by hand (any other is, or will be, Stripe's)."""


class TicketNotRefundable(RefundRefused):
    pass


REFUNDABLE = frozenset({OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED})


def plan_refund(
    *,
    status: OrderStatus,
    total: int,
    already_refunded: int,
    tickets: Sequence[SoldTicket],
    ticket_ids: Sequence[str] | None,
    amount: int | None,
    show_cancelled: bool = False,
) -> RefundPlan:
    """What a refund request does to an order.

    No tickets and no amount: everything left, that is the valid tickets voided and their share
    of the money; with no used ticket, all the money not refunded yet (a used ticket's share
    stays paid: its holder got in), even when no ticket is left to void (a refund of money
    alone took some). ``show_cancelled``: the performance will not happen, so everything left
    goes back, a used ticket's share too.
    Tickets: those are voided; the money is their share of what was paid (coupons included)
    unless ``amount`` says otherwise. Amount alone: money back, tickets stay valid.
    ``already_refunded`` counts every refund of the order: pending, succeeded, and failed (its
    money is owed by hand, and another refund must not give it back as well).
    """
    if status not in REFUNDABLE:
        raise OrderNotRefundable(f"an order that is {status} has no refund")
    remaining = max(total - already_refunded, 0)  # never a negative refund, whatever is stored
    chosen = [] if ticket_ids is None and amount is not None else _chosen(tickets, ticket_ids)
    everything = ticket_ids is None and amount is None
    if amount is None:
        amount = (
            remaining
            if everything and show_cancelled
            else _share(tickets, chosen, total, remaining)
        )
    if amount > remaining:
        raise RefundTooLarge(f"at most {remaining} (minor units) is left to refund")
    if amount == 0 and not chosen:
        raise NothingToRefund("this refund returns no money and no ticket")
    done = ("refunded", "voided", "used") if show_cancelled else ("refunded", "voided")
    fully = amount == remaining and all(t.status in done or t.ticket_id in chosen for t in tickets)
    after = OrderStatus.REFUNDED if fully else OrderStatus.PARTIALLY_REFUNDED
    return RefundPlan(amount, tuple(chosen), after)


def _chosen(tickets: Sequence[SoldTicket], ticket_ids: Sequence[str] | None) -> list[str]:
    by_id = {t.ticket_id: t for t in tickets}
    if ticket_ids is None:
        return [t.ticket_id for t in tickets if t.status == "valid"]
    if len(set(ticket_ids)) != len(ticket_ids):
        raise DuplicateTicket("a ticket is listed twice")
    for ticket_id in ticket_ids:
        found = by_id.get(ticket_id)
        if found is None:
            raise UnknownTicket(f"ticket {ticket_id} is not in this order")
        if found.status != "valid":
            raise TicketNotRefundable(f"ticket {ticket_id} is {found.status}")
    return list(ticket_ids)


def _share(tickets: Sequence[SoldTicket], chosen: Sequence[str], total: int, remaining: int) -> int:
    """The chosen tickets' part of the money paid; the last ones take whatever is left (all of
    it when no ticket is left at all)."""
    unrefunded = {t.ticket_id for t in tickets if t.status in ("valid", "used")}
    if unrefunded <= set(chosen):
        return remaining
    if not chosen:
        return 0
    gross = sum(t.paid for t in tickets)
    picked = sum(t.paid for t in tickets if t.ticket_id in chosen)
    return min(remaining, (picked * total + gross // 2) // gross) if gross else 0
