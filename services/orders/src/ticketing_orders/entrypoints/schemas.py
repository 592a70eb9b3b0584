"""Bodies of the orders API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from ticketing_contracts import Money
from ticketing_contracts.events import RefundCause
from ticketing_runtime.fields import (
    MAX_COUNT,
    Amount,
    EmailAddress,
    Id,
    Instant,
    Line,
    Name,
    PositiveAmount,
    PriceCurrency,
    Reason,
    RequestBody,
    Whole,
)


class CustomerIn(RequestBody):
    name: Name
    email: EmailAddress


class OrderLinksIn(RequestBody):
    email: EmailAddress


class OrderLinksOut(BaseModel):
    email: str
    detail: str


class CustomerPatch(RequestBody):
    """What to put right; at least one of the two."""

    name: Name | None = None
    email: EmailAddress | None = None

    @model_validator(mode="after")
    def _something(self) -> CustomerPatch:
        if self.name is None and self.email is None:
            raise ValueError("give name, email or both")
        return self


class CustomerOut(BaseModel):
    name: str
    email: str | None = Field(description="none: a box-office sale to someone who gave none")


class OrderIn(RequestBody):
    hold_id: Id
    customer: CustomerIn
    coupon: Annotated[Line, Field(max_length=64)] | None = None


class OrderLineOut(BaseModel):
    tier_id: str
    tier_name: str
    quantity: int
    unit_price: Money
    seat_ids: list[str]


class PrintedSeatOut(BaseModel):
    seat_id: str
    section: str
    row: str
    number: int


class TicketOut(BaseModel):
    ticket_id: str
    ticket_number: str
    tier_id: str
    seat_id: str | None
    seat: PrintedSeatOut | None = Field(
        None, description="the seat as printed on the ticket; none: general admission"
    )
    status: str
    secret: str
    used_at: datetime | None


class PaymentOut(BaseModel):
    status: str = Field(
        description="creating, open, failed (payable again), succeeded, not_required (free, or"
        " paid at the box office), cancelled (the order expired or was cancelled unpaid:"
        " nothing to pay)"
    )
    payment_intent_id: str | None
    client_secret: str | None = Field(
        description="for Stripe's payment form, only while the order is pending_payment"
    )
    last_error: str | None


class RefundOut(BaseModel):
    refund_id: str
    amount: Money
    ticket_ids: list[str]
    status: str = Field(description="pending, succeeded, or failed (see error)")
    automatic: bool
    cause: RefundCause = Field(
        description="staff, or automatic: late_payment (paid after expiry, its seats sold),"
        " unwanted_payment (paid after the order was cancelled), performance_cancelled"
    )
    reason: str | None
    error: str | None
    created_at: datetime


class TicketsDocumentOut(BaseModel):
    """The order's PDF at documents (staff only): ``parked`` means staff must act."""

    status: str = Field(description="pending, done, parked, or unknown (documents down)")
    version: int | None = None
    attempts: int | None = None
    last_error: str | None = None
    rendered_at: datetime | None = None


class OrderOut(BaseModel):
    order_id: str
    order_number: str
    status: str
    hold_id: str
    performance_id: str | None
    event_name: str | None
    customer: CustomerOut
    lines: list[OrderLineOut]
    subtotal: Money | None = Field(None, description="before the coupon")
    discount: Money | None = None
    coupon: str | None = None
    total: Money | None
    payment_deadline: datetime | None
    payment: PaymentOut
    tickets: list[TicketOut]
    refunds: list[RefundOut] = []
    created_at: datetime
    paid_at: datetime | None
    tickets_document: TicketsDocumentOut | None = Field(
        None, description="staff only: the render of the order's PDF"
    )
    payment_method: str | None = Field(
        None, description="a box-office sale: cash, card_terminal or complimentary"
    )
    access_token: str | None = Field(
        None, description="only in the answer that created the order: keep it to read the order"
    )


#: what a device names itself or a scan by: printable, one line
DeviceText = Annotated[Line, StringConstraints(min_length=1, max_length=100)]


class CheckinIn(RequestBody):
    secret: Annotated[Line, Field(min_length=1, max_length=1000)]
    performance_id: Id
    device_id: DeviceText | None = Field(
        None,
        description="the scanning device: its offline upload of a scan whose online answer was "
        "lost counts as the one admission it is, not as a conflict",
    )


class CheckinOut(BaseModel):
    result: str = Field(
        description="ok, already_used, refunded, voided, wrong_performance, cancelled (the"
        " performance will not happen) or invalid"
    )
    detail: str
    ticket_id: str | None = None
    ticket_number: str | None = None
    seat_id: str | None = None
    used_at: datetime | None = None


class RefundIn(RequestBody):
    ticket_ids: list[Id] | None = Field(
        None, min_length=1, max_length=1000, description="tickets to void; none: every valid ticket"
    )
    amount: Amount | None = Field(
        None, description="minor units; default: the tickets' share of what was paid"
    )
    reason: Reason | None = None


class RefundPaidBackIn(RequestBody):
    note: Reason = Field(
        min_length=3,
        description="how the money went back (a bank transfer, the Stripe dashboard, cash)",
    )
    from_till: Literal["cash", "card_terminal"] | None = Field(
        None,
        description="out of the signed-in clerk's desk till: counted in their till (My till)",
    )


class CouponIn(RequestBody):
    code: str = Field(min_length=3, max_length=64, pattern=r"^\s*[A-Za-z0-9_-]+\s*$")
    kind: Literal["percent", "fixed"]
    percent_off: Whole | None = Field(None, ge=1, le=100)
    amount_off: PositiveAmount | None = Field(None, description="minor units of currency")
    currency: PriceCurrency | None = None
    max_uses: Whole | None = Field(None, ge=1, le=MAX_COUNT)
    max_uses_per_email: Whole | None = Field(None, ge=1, le=MAX_COUNT)
    valid_from: Instant | None = None
    valid_to: Instant | None = None
    tier_ids: list[Id] = Field(
        default_factory=list, max_length=1000, description="empty: every tier"
    )
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> CouponIn:
        if self.kind == "percent" and (self.percent_off is None or self.amount_off is not None):
            raise ValueError("a percent coupon has percent_off and no amount_off")
        if self.kind == "fixed" and (
            self.amount_off is None or self.currency is None or self.percent_off is not None
        ):
            raise ValueError("a fixed coupon has amount_off and currency, and no percent_off")
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        return self


class CouponPatch(RequestBody):
    """Fields staff may change on a coupon in use (its kind and amount stay what buyers saw)."""

    max_uses: Whole | None = Field(None, ge=1, le=MAX_COUNT)
    max_uses_per_email: Whole | None = Field(None, ge=1, le=MAX_COUNT)
    valid_from: Instant | None = None
    valid_to: Instant | None = None
    active: bool = Field(True, description="false: no new order may use it (sent: true or false)")


class CouponOut(BaseModel):
    coupon_id: str
    code: str
    kind: str
    percent_off: int | None
    amount_off: int | None
    currency: str | None
    max_uses: int | None
    max_uses_per_email: int | None
    valid_from: datetime | None
    valid_to: datetime | None
    tier_ids: list[str]
    active: bool
    uses: int = Field(description="reserved by unpaid orders and redeemed by paid ones")
    created_at: datetime


class CouponPage(BaseModel):
    """A page of coupons, as Stripe pages: pass the last id as ``starting_after`` for more."""

    data: list[CouponOut]
    has_more: bool


class PrintedTicketOut(BaseModel):
    ticket_id: str
    ticket_number: str
    tier_name: str
    seat: PrintedSeatOut | None = Field(description="none: general admission")
    secret: str
    status: str
    version: int


class OrderDetailsOut(BaseModel):
    """An order as documents print it and notifications write about it (internal)."""

    order_id: str
    order_number: str
    access_token: str
    """for the links in e-mails (internal callers only)"""
    status: str
    customer: CustomerOut
    performance_id: str | None
    event_name: str | None
    starts_at: datetime | None
    time_zone: str | None
    venue_name: str | None
    venue_address: str | None
    total: Money
    payment_deadline: datetime | None
    tickets: list[PrintedTicketOut]
