"""What buyers read about the catalogue: declared, so the web client's types come from them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from ticketing_contracts import Money


class ShowOut(BaseModel):
    performance_id: str
    event_id: str
    venue_id: str | None
    starts_at: datetime
    ends_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    status: str
    max_per_order: int


class ListedShowOut(ShowOut):
    time_zone: str
    """the venue's zone (the event's when it has no venue): local times are shown in it"""


class PublicEventOut(BaseModel):
    event_id: str
    name: str
    description: str
    time_zone: str
    status: str
    performances: list[ListedShowOut]


class PublicTierOut(BaseModel):
    tier_id: str
    name: str
    price: Money
    capacity: int
    available: int
    seated: bool


class PublicPerformanceOut(ShowOut):
    event_name: str
    time_zone: str
    """the venue's zone (the event's when it has no venue): local times are shown in it"""
    venue_name: str | None
    venue_address: str | None
    tiers: list[PublicTierOut]


# a seat of a venue and its place on the map (staff read a venue's seats as these); no
# docstrings on these two: they would become descriptions in the OpenAPI document
class VenueSeatOut(BaseModel):
    seat_id: str
    section: str
    row: str
    number: int
    x: float
    y: float
    accessible: bool


# a venue seat at one performance: its tier and its state
class SeatOut(VenueSeatOut):
    tier_id: str | None
    state: str
    """available, held or sold"""


class SeatMapOut(BaseModel):
    performance_id: str
    seats: list[SeatOut]


class SeatStatesOut(BaseModel):
    performance_id: str
    taken: dict[str, str]
    """seat id -> held or sold; a seat not named is available"""
