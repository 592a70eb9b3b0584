"""Holds: what a customer is holding while checking out, and why a hold can be refused.

Pure types, no I/O: the Redis hold store (``adapters/hold_store.py``) decides atomically and
returns these.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal


class HoldStatus(StrEnum):
    HELD = "held"  # counts against availability until it expires
    PINNED = "pinned"  # an order is paying for it: kept until the payment deadline
    COMMITTED = "committed"  # sold
    RELEASED = "released"  # given back by the customer or because the order died
    EXPIRED = "expired"


def announcement_id(fact: Literal["expired", "released"], hold_id: str) -> str:
    """The message id of a hold's ``hold.expired`` or ``hold.released``: a fact a hold has once,
    whoever announces it and however often (the outbox and consumers' inboxes drop the second)."""
    return f"hold-{fact}:{hold_id}"


class Refusal(StrEnum):
    NOT_ENOUGH_LEFT = "not-enough-left"
    SEAT_TAKEN = "seat-taken"
    NO_SEATS_TOGETHER = "no-seats-available"
    OVER_MAX_PER_ORDER = "over-max-per-order"
    UNKNOWN_TIER = "unknown-tier"
    UNKNOWN_SEAT = "unknown-seat"
    HOLD_NOT_FOUND = "hold-not-found"
    HOLD_EXPIRED = "hold-expired"
    ALREADY_EXTENDED = "hold-already-extended"
    HOLD_NOT_ACTIVE = "hold-not-active"
    STALE_TERMS = "stale-terms"  # decided on an old copy of the sale terms: read them again
    TOO_MANY_HOLDS = "too-many-holds"  # the session's placements per minute on this performance
    TOO_MANY_LIVE_HOLDS = "too-many-live-holds"  # the session's holds of this performance at once
    KEY_REUSED = "idempotency-key-reused"  # the key of an earlier hold, sent with another request


@dataclass(frozen=True)
class TierStock:
    tier_id: str
    capacity: int
    sold: int


@dataclass(frozen=True)
class SeatPlace:
    seat_id: str
    tier_id: str
    section: str
    row: str
    number: int


@dataclass(frozen=True)
class PerformanceStock:
    """Everything the hold store needs to know about one performance (from Postgres).

    ``rows``: each inner list is one physical row, seats in physical order (adjacent in the list
    = adjacent in the room); rows in order of preference for best-available (best first).
    """

    performance_id: str
    tiers: list[TierStock]
    rows: list[list[SeatPlace]] = field(default_factory=list)
    sold_seats: dict[str, str] = field(default_factory=dict)  # seat_id -> order_id


@dataclass(frozen=True)
class HoldLine:
    tier_id: str
    quantity: int
    seat_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hold:
    hold_id: str
    performance_id: str
    session_id: str
    lines: tuple[HoldLine, ...]
    expires_at: datetime
    status: HoldStatus
    extended: bool = False
    order_id: str | None = None
    contiguous: bool | None = None  # best-available: were the seats found side by side?

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    detail: str
    available: int | None = None  # NOT_ENOUGH_LEFT: how many are left
    taken_seats: tuple[str, ...] = ()  # SEAT_TAKEN: which
    retry_after_ms: int | None = None  # TOO_MANY_HOLDS: when the session may place again
    hold_status: HoldStatus | None = None  # HOLD_NOT_ACTIVE: pinned (being paid) or committed


@dataclass(frozen=True)
class Availability:
    tiers: dict[str, int]  # tier_id -> units available now
    seats: dict[str, str]  # seat_id -> "available" | "held" | "sold"


def hold_id_for(holder: str, performance_id: str, idempotency_key: str) -> str:
    """The hold a placement with this ``Idempotency-Key`` makes (per holder and performance: a
    hold lives in its performance's keys): a retry whose first answer was lost finds the hold
    the first made, instead of holding the seats twice."""
    named = f"{holder}\n{performance_id}\n{idempotency_key}"
    digest = hashlib.sha256(named.encode()).digest()[:16]
    token = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"hld_{token.replace('-', 'x').replace('_', 'y')}"  # shaped as new_id("hld")
