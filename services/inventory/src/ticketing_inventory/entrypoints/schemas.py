"""Request and response bodies of the inventory API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VenueIn(Body):
    name: str = Field(min_length=1, max_length=200)
    time_zone: str = Field(examples=["Europe/Amsterdam"])
    address: str | None = None


class EventIn(Body):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    time_zone: str = Field(examples=["Europe/Amsterdam"])
    refund_returns_capacity: bool = True


class PerformanceIn(Body):
    starts_at: datetime
    ends_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    venue_id: str | None = Field(None, description="set for a seated performance")
    hold_ttl_s: int = Field(600, ge=2, le=3600)
    max_per_order: int = Field(10, ge=1, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> PerformanceIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.sales_close_at <= self.sales_open_at:
            raise ValueError("sales_close_at must be after sales_open_at")
        if self.sales_close_at > self.ends_at:
            raise ValueError("sales_close_at must not be after ends_at")
        return self


class MoneyIn(Body):
    amount: int = Field(ge=0, description="minor units")
    currency: str = Field(pattern="^[A-Z]{3}$")


class TierIn(Body):
    name: str = Field(min_length=1, max_length=100)
    price: MoneyIn
    capacity: int = Field(0, ge=0, le=1_000_000, description="general admission units")


class PriceZone(Body):
    tier_id: str
    section: str | None = Field(None, description="all sections when absent")
    rows: list[str] | None = Field(None, description="all rows of the section when absent")


class PriceZonesIn(Body):
    zones: list[PriceZone] = Field(min_length=1)


class TierLine(Body):
    tier_id: str
    quantity: int = Field(ge=1, le=100)


class BestAvailable(Body):
    quantity: int = Field(ge=1, le=100)
    tier_id: str | None = None


class HoldIn(Body):
    """Exactly one of ``tiers`` (general admission), ``seats`` or ``best_available``."""

    performance_id: str
    tiers: list[TierLine] | None = None
    seats: list[str] | None = Field(None, max_length=100)
    best_available: BestAvailable | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> HoldIn:
        chosen = [k for k in ("tiers", "seats", "best_available") if getattr(self, k)]
        if len(chosen) != 1:
            raise ValueError("give exactly one of tiers, seats or best_available")
        return self


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


class PinIn(Body):
    order_id: str
    session_id: str = Field(description="the customer session that must own the hold")
    until: datetime


class ReleaseIn(Body):
    reason: Literal["customer", "order_expired", "order_cancelled", "payment_failed", "staff"]
