"""Request and response bodies of the inventory API."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from ticketing_inventory.domain.catalogue import sales_window_fault
from ticketing_runtime.fields import (
    Address,
    Amount,
    Count,
    Description,
    Id,
    Instant,
    Line,
    Name,
    PriceCurrency,
    RequestBody,
    ShortName,
    Subject,
    TimeZoneName,
    Whole,
)


class VenueIn(RequestBody):
    name: Name
    time_zone: TimeZoneName
    address: Address | None = None


class EventIn(RequestBody):
    name: Name
    description: Description = ""
    time_zone: TimeZoneName
    refund_returns_capacity: bool = True


class PerformanceIn(RequestBody):
    starts_at: Instant
    ends_at: Instant
    sales_open_at: Instant
    sales_close_at: Instant
    venue_id: Id | None = Field(None, description="set for a seated performance")
    hold_ttl_s: Whole = Field(600, ge=2, le=3600)
    max_per_order: Whole = Field(10, ge=1, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> PerformanceIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        fault = sales_window_fault(self.sales_open_at, self.sales_close_at, self.ends_at)
        if fault:
            raise ValueError(fault)
        return self


class SaleTermsIn(RequestBody):
    """The terms to change; what is left out stays as it is."""

    sales_open_at: Instant | None = None
    sales_close_at: Instant | None = None
    hold_ttl_s: Whole | None = Field(None, ge=2, le=3600)
    max_per_order: Whole | None = Field(None, ge=1, le=100)

    @model_validator(mode="after")
    def _names_a_term(self) -> SaleTermsIn:
        if not self.model_fields_set:
            raise ValueError(f"name at least one of {', '.join(SaleTermsIn.model_fields)}")
        if None in (getattr(self, name) for name in self.model_fields_set):
            raise ValueError("a term cannot be null: leave it out to keep it")
        return self


class MoneyIn(RequestBody):
    amount: Amount
    currency: PriceCurrency


class TierIn(RequestBody):
    name: ShortName
    price: MoneyIn
    capacity: Count = Field(0, description="general admission units")


class PriceZone(RequestBody):
    tier_id: Id
    section: Annotated[Line, Field(max_length=100)] | None = Field(
        None, description="all sections when absent"
    )
    rows: list[Annotated[Line, Field(max_length=20)]] | None = Field(
        None, min_length=1, max_length=1000, description="all rows of the section when absent"
    )


class PriceZonesIn(RequestBody):
    zones: list[PriceZone] = Field(min_length=1, max_length=1000)


class TierLine(RequestBody):
    tier_id: Id
    quantity: Whole = Field(ge=1, le=100)


class BestAvailable(RequestBody):
    quantity: Whole = Field(ge=1, le=100)
    tier_id: Id | None = None


class HoldIn(RequestBody):
    """Exactly one of ``tiers`` (general admission), ``seats`` or ``best_available``."""

    performance_id: Id
    tiers: list[TierLine] | None = Field(None, max_length=100)
    seats: list[Id] | None = Field(None, max_length=100)
    best_available: BestAvailable | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> HoldIn:
        chosen = [k for k in ("tiers", "seats", "best_available") if getattr(self, k)]
        if len(chosen) != 1:
            raise ValueError("give exactly one of tiers, seats or best_available")
        return self

    @field_validator("seats")
    @classmethod
    def _each_seat_once(cls, seats: list[str] | None) -> list[str] | None:
        """A seat listed twice was held once: the buyer's count and the hold's disagreed."""
        twice = sorted(seat for seat, n in Counter(seats or []).items() if n > 1)
        if twice:
            raise ValueError(f"each seat once: {', '.join(twice)} listed twice")
        return seats


class HoldLineOut(BaseModel):
    tier_id: str
    quantity: int
    seat_ids: list[str]


class HoldOut(BaseModel):
    hold_id: str
    performance_id: str
    status: str
    lines: list[HoldLineOut]
    quantity: int
    expires_at: datetime
    extended: bool
    contiguous: bool | None = None


class SeatLabelOut(BaseModel):
    seat_id: str
    section: str
    row: str
    number: int


class PricedLineOut(HoldLineOut):
    tier_name: str
    unit_price: int = Field(description="minor units")
    currency: str
    seats: list[SeatLabelOut] = Field(default_factory=list, description="as tickets print them")


class PinnedHoldOut(HoldOut):
    """A pinned hold as orders prices it: each line with its tier's price."""

    lines: list[PricedLineOut]  # type: ignore[assignment]
    event_id: str
    event_name: str
    starts_at: datetime
    time_zone: str
    venue_name: str | None
    venue_address: str | None


class PinIn(RequestBody):
    order_id: Id
    session_id: Subject = Field(
        description="who must own the hold: a customer session, or the box-office clerk"
    )
    until: Instant


class ReleaseIn(RequestBody):
    reason: Literal["customer", "order_expired", "order_cancelled", "payment_failed", "staff"]
