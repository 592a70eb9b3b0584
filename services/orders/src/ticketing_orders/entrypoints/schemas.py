"""Bodies of the orders API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, model_validator

from ticketing_contracts import Money


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CustomerIn(Body):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr


class OrderIn(Body):
    hold_id: str = Field(min_length=1, max_length=100)
    customer: CustomerIn
    coupon: str | None = Field(None, max_length=64)


class OrderLineOut(BaseModel):
    tier_id: str
    tier_name: str
    quantity: int
    unit_price: Money
    seat_ids: list[str]


class TicketOut(BaseModel):
    ticket_id: str
    ticket_number: str
    tier_id: str
    seat_id: str | None
    status: str
    secret: str
    used_at: datetime | None


class PaymentOut(BaseModel):
    status: str = Field(description="creating, open, failed (payable again), succeeded")
    payment_intent_id: str | None
    client_secret: str | None
    last_error: str | None


class RefundOut(BaseModel):
    refund_id: str
    amount: Money
    ticket_ids: list[str]
    status: str = Field(description="pending, succeeded, or failed (see error)")
    automatic: bool
    reason: str | None
    error: str | None
    created_at: datetime


class OrderOut(BaseModel):
    order_id: str
    order_number: str
    status: str
    hold_id: str
    performance_id: str | None
    event_name: str | None
    customer: CustomerIn
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
    access_token: str | None = Field(
        None, description="only in the answer that created the order: keep it to read the order"
    )


class CheckinIn(Body):
    secret: str = Field(min_length=1, max_length=1000)
    performance_id: str = Field(min_length=1, max_length=100)


class CheckinOut(BaseModel):
    result: str = Field(
        description="ok, already_used, refunded, voided, wrong_performance or invalid"
    )
    detail: str
    ticket_id: str | None = None
    ticket_number: str | None = None
    seat_id: str | None = None
    used_at: datetime | None = None


class RefundIn(Body):
    ticket_ids: list[str] | None = Field(
        None, min_length=1, description="tickets to void; none: every valid ticket"
    )
    amount: int | None = Field(
        None, ge=0, description="minor units; default: the tickets' share of what was paid"
    )
    reason: str | None = Field(None, max_length=500)


class CouponIn(Body):
    code: str = Field(min_length=3, max_length=64, pattern=r"^\s*[A-Za-z0-9_-]+\s*$")
    kind: Literal["percent", "fixed"]
    percent_off: int | None = Field(None, ge=1, le=100)
    amount_off: int | None = Field(None, gt=0, description="minor units of currency")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    max_uses: int | None = Field(None, ge=1)
    max_uses_per_email: int | None = Field(None, ge=1)
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    tier_ids: list[str] = Field(default_factory=list, description="empty: every tier")
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


class CouponPatch(Body):
    """Fields staff may change on a coupon in use (its kind and amount stay what buyers saw)."""

    max_uses: int | None = Field(None, ge=1)
    max_uses_per_email: int | None = Field(None, ge=1)
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    active: bool | None = None


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


class PrintedSeatOut(BaseModel):
    seat_id: str
    section: str
    row: str
    number: int


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
    customer: CustomerIn
    performance_id: str | None
    event_name: str | None
    starts_at: datetime | None
    time_zone: str | None
    venue_name: str | None
    venue_address: str | None
    total: Money
    payment_deadline: datetime | None
    tickets: list[PrintedTicketOut]
