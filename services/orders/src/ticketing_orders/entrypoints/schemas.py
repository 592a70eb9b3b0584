"""Bodies of the orders API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

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


class OrderOut(BaseModel):
    order_id: str
    order_number: str
    status: str
    hold_id: str
    performance_id: str | None
    event_name: str | None
    customer: CustomerIn
    lines: list[OrderLineOut]
    total: Money | None
    payment_deadline: datetime | None
    payment: PaymentOut
    tickets: list[TicketOut]
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
