"""Bodies and answers of the staff APIs: search, desk sales, details, sales, the door's lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field, StringConstraints

from ticketing_contracts import Money
from ticketing_orders.entrypoints.schemas import DeviceText, OrderOut
from ticketing_runtime.fields import (
    DeviceClock,
    EmailAddress,
    Id,
    Line,
    Name,
    Reason,
    RequestBody,
)

DeskPayment = Literal["cash", "card_terminal", "complimentary"]


class DeskCustomerIn(RequestBody):
    name: Name
    email: EmailAddress | None = Field(None, description="none: no e-mail is sent")


class BoxOfficeSaleIn(RequestBody):
    hold_id: Id = Field(description="a hold this clerk placed")
    customer: DeskCustomerIn
    payment_method: DeskPayment


class OrderSummaryOut(BaseModel):
    order_id: str
    order_number: str
    status: str
    performance_id: str | None
    event_name: str | None
    customer_name: str
    customer_email: str | None
    total: Money | None
    payment_method: str | None
    created_at: datetime
    paid_at: datetime | None


class OrderSearchPage(BaseModel):
    """Newest first, as Stripe pages: pass the last ``order_id`` as ``starting_after``."""

    data: list[OrderSummaryOut]
    has_more: bool


class ServiceRecords(BaseModel):
    """What another service holds about the order; ``error`` when it could not be asked."""

    available: bool
    error: str | None = None
    records: list[dict[str, Any]] = []


class StaffOrderOut(BaseModel):
    """An order with what every service knows of it, for the console."""

    order: OrderOut
    sold_by: str | None
    performance_cancelled: bool = Field(
        description="its performance was cancelled: a desk sale's money is owed at the desk"
    )
    payment: ServiceRecords = Field(description="the payment intent (payments)")
    documents: ServiceRecords = Field(description="the rendered PDFs (documents)")
    emails: ServiceRecords = Field(description="the e-mails (notifications)")


class OfflineScanIn(RequestBody):
    nonce: Annotated[DeviceText, Field(min_length=8, description="unique per scan on the device")]
    secret: Annotated[Line, Field(min_length=1, max_length=1000)]
    scanned_at: DeviceClock


class OfflineUploadIn(RequestBody):
    device_id: DeviceText
    performance_id: Id
    scans: list[OfflineScanIn] = Field(min_length=1, max_length=500)


class OfflineScanOut(BaseModel):
    nonce: str
    outcome: str = Field(
        description="ok, conflict (admitted on another device too: counted once), already_used,"
        " refunded, voided, wrong_performance, cancelled (the performance will not happen) or"
        " invalid"
    )
    detail: str
    ticket_id: str | None
    ticket_number: str | None = Field(
        None, description="as printed on the ticket: what a steward can look up and read out"
    )
    first_used_at: datetime | None = Field(None, description="conflict: when it was first used")
    first_used_on: str | None = Field(None, description="conflict: the device that did")
    replayed: bool = Field(description="this nonce was uploaded before: its first answer")


class OfflineUploadOut(BaseModel):
    results: list[OfflineScanOut]


class RevocationOut(BaseModel):
    ticket_id: str
    reason: str = Field(description="refunded or voided")
    revoked_at: datetime


class AdmissionOut(BaseModel):
    ticket_id: str
    used_at: datetime


class ResetOut(BaseModel):
    ticket_id: str
    reset_at: datetime = Field(description="when staff undid its check-in")


class AdmissionListOut(BaseModel):
    """Pass ``next_since`` back as ``since`` for what was admitted since (a ticket may come
    twice: the reads overlap, so that none is missed)."""

    performance_id: str
    admitted: list[AdmissionOut]
    reset: list[ResetOut] = Field(
        description=(
            "tickets whose check-in staff undid since ``since`` (never on a first read): a door "
            "forgets them as used, unless it admitted them again after ``reset_at``"
        )
    )
    next_since: datetime


class RevocationListOut(BaseModel):
    """Pass ``cursor`` back as ``after`` for what was revoked since (an empty list: nothing)."""

    performance_id: str
    revoked: list[RevocationOut]
    cursor: int
    has_more: bool
    performance_cancelled: bool = Field(
        False, description="the performance was cancelled: refuse every ticket of it, offline too"
    )


class TicketLookupIn(RequestBody):
    ticket_number: Annotated[
        Line, StringConstraints(min_length=3, max_length=64), Field(description="as printed")
    ]
    performance_id: Id


class TierSalesOut(BaseModel):
    tier_id: str
    name: str
    capacity: int
    sold: int = Field(description="inventory's count of units sold")
    held: int = Field(description="in holds now (customers at checkout, unpaid orders)")
    available: int
    tickets_issued: int = Field(description="orders' count of live tickets (valid or used)")


class RevenueOut(BaseModel):
    currency: str
    orders: int
    gross: int = Field(description="minor units taken by paid orders")
    refunded: int = Field(description="minor units refunded or being refunded")
    net: int


class TillBalance(BaseModel):
    """What a drawer or terminal holds of a currency: negative when more went back than came in
    (a clerk who refunded another clerk's sale)."""

    amount: int = Field(description="minor units; negative: more given back than taken")
    currency: str


class TillLineOut(BaseModel):
    payment_method: str = Field(description="cash, card_terminal or complimentary")
    sales: int
    taken: Money = Field(description="what those sales took")
    refunds: int = Field(
        description="the clerk's refunds of desk sales, and failed refunds they paid back from"
        " this till"
    )
    refunded: Money = Field(description="what those refunds gave back")
    net: TillBalance = Field(
        description="taken minus refunded: what the drawer or terminal holds (may be negative)"
    )


class TillOut(BaseModel):
    """A clerk's desk sales and refunds in a time window: what to count at the end of a shift."""

    sold_by: str
    since: datetime
    until: datetime
    lines: list[TillLineOut]


class HourOut(BaseModel):
    hour: datetime = Field(description="start of the hour (UTC) the orders were paid in")
    currency: str | None
    orders: int
    tickets: int
    gross: int


class PerformanceSalesOut(BaseModel):
    performance_id: str
    starts_at: datetime
    time_zone: str
    """the venue's zone (the event's when it has no venue): local times are shown in it"""
    status: str
    tiers: list[TierSalesOut]
    revenue: list[RevenueOut]
    sales_per_hour: list[HourOut]
    checked_in: int


class SalesSummaryOut(BaseModel):
    """Stock from inventory, money and check-ins from orders; ``totals`` add the performances."""

    event_id: str
    performances: list[PerformanceSalesOut]
    revenue: list[RevenueOut] = Field(description="every performance, per currency")
    capacity: int
    sold: int
    held: int
    available: int
    checked_in: int


class CheckinResetIn(RequestBody):
    reason: Reason = Field(min_length=3, description="why, for the audit log")


class CustomerAddressIn(RequestBody):
    # any address an order may carry (those accepted before ``EmailAddress`` too)
    email: Annotated[EmailStr, Field(max_length=254, description="the address they bought with")]


class CustomerExportOut(BaseModel):
    """Everything the platform keeps of the customer: each order bought with the address, newest
    first, with what every service keeps of it."""

    email: str
    exported_at: datetime
    orders: list[StaffOrderOut]


class CustomerErasureOut(BaseModel):
    email: str
    erased_orders: list[str] = Field(description="the order numbers whose customer was erased")
    detail: str
