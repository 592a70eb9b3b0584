"""Every event of the purchase flow, version 1. A breaking change is a new class ``…V2``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ticketing_contracts.base import Customer, Event, HeldLine, Money

__all__ = [
    "AuditActionRecordedV1",
    "HoldExpiredV1",
    "HoldReleasedV1",
    "InventoryCommitRejectedV1",
    "InventoryCommittedV1",
    "InventoryReleasedV1",
    "IssuedTicket",
    "NotificationFailedV1",
    "NotificationSentV1",
    "OrderCancelledV1",
    "OrderCustomerCorrectedV1",
    "OrderCustomerErasedV1",
    "OrderExpiredV1",
    "OrderLine",
    "OrderLinksRequestedV1",
    "OrderPaidV1",
    "OrderPlacedV1",
    "OrderRefundOwedV1",
    "OrderRefundedV1",
    "PaymentFailedV1",
    "PaymentIntentCreatedV1",
    "PaymentRefundFailedV1",
    "PaymentRefundedV1",
    "PaymentSucceededV1",
    "PerformanceCancelledV1",
    "PerformancePublishedV1",
    "PlatformProbeAnsweredV1",
    "PlatformProbeRequestedV1",
    "TicketCheckInResetV1",
    "TicketCheckedInV1",
    "TicketsRenderedV1",
]

#: why an order's money went back (``OrderRefundedV1.cause``)
RefundCause = Literal["staff", "late_payment", "unwanted_payment", "performance_cancelled"]

# --- inventory ---------------------------------------------------------------------------------


class HoldReleasedV1(Event):
    event_type = "inventory.hold.released.v1"
    source_service = "inventory"
    subject_field = "hold_id"

    hold_id: str
    performance_id: str
    reason: Literal["customer", "order_expired", "order_cancelled", "payment_failed", "staff"]


class HoldExpiredV1(Event):
    event_type = "inventory.hold.expired.v1"
    source_service = "inventory"
    subject_field = "hold_id"

    hold_id: str
    performance_id: str
    expired_at: datetime


class InventoryCommittedV1(Event):
    """The sale of an order's seats/units is committed in inventory's database."""

    event_type = "inventory.sale.committed.v1"
    source_service = "inventory"
    subject_field = "order_id"

    order_id: str
    hold_id: str
    performance_id: str
    lines: list[HeldLine]


class InventoryCommitRejectedV1(Event):
    """The seats/units of a paid order could not be committed (hold lost and capacity gone, or
    the performance cancelled)."""

    event_type = "inventory.sale.rejected.v1"
    source_service = "inventory"
    subject_field = "order_id"

    order_id: str
    hold_id: str
    performance_id: str
    reason: str
    performance_cancelled: bool = Field(
        False, description="refused because the performance (or its event) was cancelled"
    )


class InventoryReleasedV1(Event):
    """Sold capacity returned to sale (after a refund)."""

    event_type = "inventory.sale.released.v1"
    source_service = "inventory"
    subject_field = "order_id"

    order_id: str
    performance_id: str
    lines: list[HeldLine]
    reason: Literal["refund", "void"]


class PerformancePublishedV1(Event):
    event_type = "inventory.performance.published.v1"
    source_service = "inventory"
    subject_field = "performance_id"

    event_id: str
    performance_id: str
    starts_at: datetime


class PerformanceCancelledV1(Event):
    event_type = "inventory.performance.cancelled.v1"
    source_service = "inventory"
    subject_field = "performance_id"

    event_id: str
    performance_id: str
    reason: str | None = None


# --- orders ------------------------------------------------------------------------------------


class OrderLine(HeldLine):
    unit_price: Money


class OrderPlacedV1(Event):
    event_type = "orders.order.placed.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    order_number: str
    hold_id: str
    performance_id: str
    customer: Customer
    lines: list[OrderLine]
    total: Money
    payment_deadline: datetime
    payment_method: str | None = Field(
        None, description="paid at the box office (cash, card_terminal, complimentary): no charge"
    )


class IssuedTicket(BaseModel):
    model_config = ConfigDict(frozen=True)

    ticket_id: str
    ticket_number: str
    tier_id: str
    seat_id: str | None = None
    unit_price: int | None = Field(
        None, description="what the ticket cost, in the minor units of the order's total.currency"
    )


class OrderPaidV1(Event):
    """The order is paid and all its tickets are issued (the event other teams subscribe to).

    Paid after its deadline (``after_deadline``: the order had expired and a payment was heard
    late), its seats were released meanwhile: if they were sold again, ``order.refunded``
    (``cause: late_payment``, ``automatic``) follows and voids these tickets. A subscriber that
    must know the sale stands waits for ``inventory.sale.committed`` of the order (as documents
    does before printing a late payment's tickets)."""

    event_type = "orders.order.paid.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    order_number: str
    hold_id: str
    performance_id: str
    customer: Customer
    total: Money
    payment_intent_id: str = Field(
        description="the Stripe PaymentIntent; empty for a free order or a box-office sale"
    )
    tickets: list[IssuedTicket]
    paid_at: datetime
    payment_method: str | None = Field(
        None,
        description="paid at the box office (cash, card_terminal, complimentary); none: online",
    )
    after_deadline: bool = Field(
        False,
        description="paid after the order expired: refunded (order.refunded, late_payment) if"
        " its seats were sold meanwhile; inventory.sale.committed confirms the sale",
    )


class OrderExpiredV1(Event):
    """The order was not paid by its deadline (and the grace after it): its hold is released.
    Not final: a payment heard later pays it (``order.paid``, ``after_deadline``), and is
    refunded (``order.refunded``, ``cause: late_payment``) if its seats were sold meanwhile."""

    event_type = "orders.order.expired.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    hold_id: str
    performance_id: str
    expired_at: datetime
    customer: Customer | None = None


class OrderCancelledV1(Event):
    event_type = "orders.order.cancelled.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    hold_id: str
    performance_id: str
    reason: str
    customer: Customer | None = None
    performance_cancelled: bool = Field(
        False, description="cancelled because its performance was (the customer is told)"
    )


class OrderRefundOwedV1(Event):
    """A box-office sale's performance was cancelled: its money is in the till, so the customer
    is owed ``amount`` back in person (staff refund it at the desk: ``order.refunded`` follows)."""

    event_type = "orders.order.refund_owed.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    performance_id: str
    amount: Money
    payment_method: str = Field(description="cash, card_terminal or complimentary")
    reason: str
    customer: Customer | None = None


class OrderCustomerErasedV1(Event):
    """The customer's personal data on the order was erased (on their request, or when the
    retention period after the performance ran out): every service that keeps any of it for the
    order erases its own copy (an address, a name printed on a PDF, an e-mail's facts). The order
    itself, its tickets and its money stay, without the person."""

    event_type = "orders.customer.erased.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    erased_at: datetime


class OrderCustomerCorrectedV1(Event):
    """Staff put the order's customer right (a mistyped address, a name to print, an address
    given after a box-office sale): a subscriber that keeps the customer replaces its copy."""

    event_type = "orders.customer.corrected.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    customer: Customer
    corrected_at: datetime


class OrderLinksRequestedV1(Event):
    """A customer who lost their e-mails asked for links to their orders: one e-mail to
    ``email`` lists ``order_ids`` (newest first), each with its access link."""

    event_type = "orders.links.requested.v1"
    source_service = "orders"
    subject_field = "request_id"

    request_id: str
    email: str
    order_ids: list[str] = Field(min_length=1)


class OrderRefundedV1(Event):
    """A refund decided for an order: some or all of its tickets, voided at once; an amount that
    keeps them (``voided_ticket_ids`` empty); or, automatically, a payment the order could not
    keep: its seats were sold after it expired (``late_payment``: the ``order.paid`` before it
    is undone), or it was cancelled (``unwanted_payment``: no ``order.paid`` before it).

    Decided, not yet paid out: online, Stripe then pays it back (``payments.refund.succeeded``)
    or refuses (``payments.refund.failed``: staff are told; the tickets stay voided); at the box
    office (``payment_method``) the desk gives the money back in person."""

    event_type = "orders.order.refunded.v1"
    source_service = "orders"
    subject_field = "order_id"

    order_id: str
    performance_id: str
    refund_id: str
    amount: Money
    voided_ticket_ids: list[str]
    fully_refunded: bool
    automatic: bool = False
    customer: Customer | None = None
    reason: str | None = None
    payment_method: str | None = Field(
        None, description="a box-office sale: the money went back at the desk, not via Stripe"
    )
    performance_cancelled: bool = Field(
        False, description="the performance was cancelled: what was left is refunded, automatically"
    )
    cause: RefundCause | None = Field(
        None,
        description="why: staff refunded it, or automatically for a late payment whose seats"
        " were sold, a payment for a cancelled order, or a cancelled performance (none: sent"
        " before causes were named)",
    )


class TicketCheckedInV1(Event):
    event_type = "orders.ticket.checked_in.v1"
    source_service = "orders"
    subject_field = "ticket_id"

    ticket_id: str
    order_id: str
    performance_id: str
    checked_in_at: datetime
    scanner: str | None = None


class TicketCheckInResetV1(Event):
    """Staff overrode a check-in at the door: the ticket is valid again and will be checked in
    again. A subscriber counting attendance takes its ``checked_in`` back."""

    event_type = "orders.ticket.checkin_reset.v1"
    source_service = "orders"
    subject_field = "ticket_id"

    ticket_id: str
    order_id: str
    performance_id: str
    was_checked_in_at: datetime
    reset_at: datetime
    reset_by: str
    reason: str


# --- payments ----------------------------------------------------------------------------------


class PaymentIntentCreatedV1(Event):
    event_type = "payments.intent.created.v1"
    source_service = "payments"
    subject_field = "order_id"

    order_id: str
    payment_intent_id: str
    amount: Money
    payment_url: str | None = None
    customer_email: str | None = None


class PaymentSucceededV1(Event):
    event_type = "payments.payment.succeeded.v1"
    source_service = "payments"
    subject_field = "order_id"

    order_id: str
    payment_intent_id: str
    amount: Money
    succeeded_at: datetime


class PaymentFailedV1(Event):
    event_type = "payments.payment.failed.v1"
    source_service = "payments"
    subject_field = "order_id"

    order_id: str
    payment_intent_id: str
    reason: str
    decline_code: str | None = None
    customer_email: str | None = None


class PaymentRefundedV1(Event):
    """Stripe took the refund: it has paid it back (``stripe_status`` ``succeeded``) or the card's
    bank has yet to settle it (``pending``). A pending one may still fail: a later
    ``payments.refund.failed.v1`` with the same ``refund_id`` then overrides this one (which may
    reach you after it: keep the latest by ``ce-time``)."""

    event_type = "payments.refund.succeeded.v1"
    source_service = "payments"
    subject_field = "order_id"

    order_id: str
    payment_intent_id: str
    refund_id: str
    amount: Money
    stripe_refund_id: str | None = None
    stripe_status: str | None = Field(
        None,
        description="Stripe's status of the refund when it took it: succeeded, or pending (may"
        " still fail); none when Stripe was not asked (nothing to pay back) or in events sent"
        " before the field was added",
    )


class PaymentRefundFailedV1(Event):
    """Stripe refused a refund (e.g. more than was charged), or the card's bank refused it later:
    staff must see it and pay it back another way (notifications tells the customer so)."""

    event_type = "payments.refund.failed.v1"
    source_service = "payments"
    subject_field = "order_id"

    order_id: str
    refund_id: str
    amount: Money
    reason: str
    refused_by: Literal["stripe", "payments"] = Field(
        "stripe",
        description="stripe (or the card's bank through it), or payments itself before asking:"
        " the refund did not match what was charged",
    )


# --- documents and notifications ---------------------------------------------------------------


class TicketsRenderedV1(Event):
    event_type = "documents.tickets.rendered.v1"
    source_service = "documents"
    subject_field = "order_id"

    order_id: str
    order_document_id: str
    ticket_document_ids: dict[str, str]
    version: int


class NotificationSentV1(Event):
    event_type = "notifications.email.sent.v1"
    source_service = "notifications"
    subject_field = "notification_id"

    notification_id: str
    template: str
    recipient: str
    order_id: str | None = None
    smtp_message_id: str


class NotificationFailedV1(Event):
    event_type = "notifications.email.failed.v1"
    source_service = "notifications"
    subject_field = "notification_id"

    notification_id: str
    template: str
    recipient: str
    order_id: str | None = None
    error: str
    attempts: int


# --- platform ----------------------------------------------------------------------------------


class PlatformProbeRequestedV1(Event):
    """An operator's end-to-end probe: every service answers it through its own outbox."""

    event_type = "platform.probe.requested.v1"
    source_service = "gateway"
    subject_field = "probe_id"

    probe_id: str
    requested_at: datetime


class PlatformProbeAnsweredV1(Event):
    """One service applied a probe (inbox) and answered it (outbox)."""

    event_type = "platform.probe.answered.v1"
    source_service = "any"
    subject_field = "probe_id"

    probe_id: str
    service: str
    answered_at: datetime


class AuditActionRecordedV1(Event):
    """A staff member did something (a catalogue change, a refund, a desk sale, a replay…):
    recorded by the service that did it, in the same transaction, for the admins' audit log."""

    event_type = "audit.action.recorded.v1"
    source_service = "any"
    subject_field = "audit_id"

    audit_id: str
    service: str
    action: str = Field(description="what was done, e.g. orders.refund.created")
    actor: str = Field(description="the staff member (the token's subject)")
    actor_roles: list[str]
    occurred_at: datetime
    request_id: str | None = Field(None, description="the request's X-Request-Id, if it had one")
    order_id: str | None = None
    target_type: str | None = Field(None, description="e.g. order, event, coupon, ticket")
    target_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
