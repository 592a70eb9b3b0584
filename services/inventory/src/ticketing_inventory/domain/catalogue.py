"""Catalogue rules: event life cycle, when a performance sells, seat CSV rows. No I/O."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ticketing_inventory.domain.errors import Conflict, Invalid
from ticketing_runtime.fields import MAX_SEAT_NUMBER, has_control_characters, is_time_zone


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


EVENT_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED}),
    EventStatus.PUBLISHED: frozenset({EventStatus.CANCELLED}),
    EventStatus.CANCELLED: frozenset(),
}


class IllegalTransition(Conflict):
    """An event status change its life cycle does not allow."""


class InvalidSeatFile(Invalid):
    """A seat CSV the rules refuse; the detail names the line."""

    def __init__(self, detail: str) -> None:
        super().__init__("invalid-csv", detail)


def next_event_status(current: EventStatus, wanted: EventStatus) -> EventStatus:
    if wanted not in EVENT_TRANSITIONS[current]:
        raise IllegalTransition(
            "illegal-transition", f"an event that is {current} cannot become {wanted}"
        )
    return wanted


@dataclass(frozen=True)
class Event:
    event_id: str
    name: str
    description: str
    time_zone: str
    status: EventStatus
    refund_returns_capacity: bool
    created_at: datetime


@dataclass(frozen=True)
class Performance:
    """A performance with the status and name of its event."""

    performance_id: str
    event_id: str
    venue_id: str | None  # None: general admission without a seat map
    starts_at: datetime
    ends_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    status: str  # scheduled | cancelled
    hold_ttl_s: int
    max_per_order: int
    created_at: datetime
    event_status: EventStatus
    event_name: str

    def with_sale_terms(self, change: SaleTermsChange) -> Performance:
        """This performance with ``change`` applied, refused when it is cancelled or when the
        window would close before it opens or after the performance ends."""
        self.refuse_if_cancelled("a cancelled performance's terms stay")
        changed = replace(self, **change.given())
        fault = sales_window_fault(changed.sales_open_at, changed.sales_close_at, changed.ends_at)
        if fault:
            raise Invalid("invalid-sales-window", fault)
        return changed

    def refuse_if_cancelled(self, detail: str) -> None:
        """A cancelled performance (or one of a cancelled event) takes no change: it will not
        happen, and its buyers were given their money back."""
        if self.is_cancelled:
            raise Conflict("performance-cancelled", detail)

    @property
    def is_cancelled(self) -> bool:
        return self.sale_window.is_cancelled

    @property
    def sale_window(self) -> SaleWindow:
        return SaleWindow(
            event_status=self.event_status,
            performance_status=self.status,
            starts_at=self.starts_at,
            sales_open_at=self.sales_open_at,
            sales_close_at=self.sales_close_at,
            ends_at=self.ends_at,
        )


def sales_window_fault(opens: datetime, closes: datetime, ends_at: datetime) -> str | None:
    """Why sales cannot run from ``opens`` to ``closes`` for a performance that ends at
    ``ends_at`` (the one rule for a new performance and for a change); ``None``: they can."""
    if closes <= opens:
        return (
            f"sales would close (sales_close_at {closes.isoformat()}) before they open"
            f" (sales_open_at {opens.isoformat()})"
        )
    if closes > ends_at:
        return (
            f"sales would close (sales_close_at {closes.isoformat()}) after the performance"
            f" ends (ends_at {ends_at.isoformat()})"
        )
    return None


@dataclass(frozen=True)
class SaleTermsChange:
    """The sale terms staff change on a performance; None keeps what it has."""

    sales_open_at: datetime | None = None
    sales_close_at: datetime | None = None
    hold_ttl_s: int | None = None
    max_per_order: int | None = None

    def given(self) -> dict[str, Any]:
        """The terms named, by field name."""
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Tier:
    tier_id: str
    performance_id: str
    name: str
    price_amount: int  # minor units
    currency: str
    capacity: int
    sold: int
    seated: bool


@dataclass(frozen=True)
class SaleWindow:
    event_status: str
    performance_status: str
    starts_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime
    ends_at: datetime | None = None  # None: terms cached before the window kept it

    @property
    def is_cancelled(self) -> bool:
        """The performance, or its whole event, is cancelled: it sells and pins nothing more."""
        return self.event_status == EventStatus.CANCELLED or self.performance_status == "cancelled"


class NotOnSale(Conflict):
    """The performance does not sell now; ``code`` says why."""


def check_on_sale(window: SaleWindow, now: datetime, *, at_desk: bool = False) -> None:
    """Raise ``NotOnSale`` with the reason a buyer would want to read. The box office
    (``at_desk``) is not bound by the online sales window: it sells to the queue before online
    sales open, after they close and to latecomers, until the performance ends."""
    if window.is_cancelled:
        raise NotOnSale("performance-cancelled", "this performance is cancelled")
    if window.event_status != EventStatus.PUBLISHED:
        raise NotOnSale("performance-not-published", "this performance is not on sale yet")
    if at_desk:
        if window.ends_at is not None and window.ends_at <= now:
            raise NotOnSale("performance-past", "this performance has ended")
        return
    if window.starts_at <= now:
        raise NotOnSale("performance-past", "this performance has already started")
    if now < window.sales_open_at:
        # when to come back, for a client to wait rather than ask again every second
        wait_s = math.ceil((window.sales_open_at - now).total_seconds())
        raise NotOnSale(
            "sales-not-open",
            f"sales open at {window.sales_open_at.isoformat()}",
            sales_open_at=window.sales_open_at.isoformat(),
            retry_after_s=wait_s,
        )
    if now >= window.sales_close_at:
        raise NotOnSale("sales-closed", "sales for this performance are closed")


@dataclass(frozen=True)
class SeatRow:
    section: str
    row: str
    number: int
    x: float
    y: float
    accessible: bool


CSV_COLUMNS = ("section", "row", "number", "x", "y", "accessible")


def parse_seat_csv(text: str) -> list[SeatRow]:
    """Seats from CSV (header ``section,row,number[,x,y,accessible]``, in any case, spaces and a
    byte order mark around it allowed, as the console's preview reads it); errors name the
    line."""
    body = text.lstrip("\ufeff")
    skipped = body[: len(body) - len(body.lstrip())].count("\n")  # blank lines before the header
    reader = csv.DictReader(io.StringIO(body.strip()))
    try:
        reader.fieldnames = _columns(reader.fieldnames or [])
        return _seats(reader, skipped)
    except csv.Error as exc:  # a field over the reader's limit, a NUL byte, a stray quote
        raise InvalidSeatFile(f"line {reader.line_num + 1 + skipped}: not CSV: {exc}") from exc


def _columns(header: Sequence[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    if twice := sorted({c for c in columns if c and columns.count(c) > 1}):
        raise InvalidSeatFile(f"the header names {', '.join(twice)} twice")
    return columns


def _seats(reader: csv.DictReader[str], skipped: int) -> list[SeatRow]:
    missing = {"section", "row", "number"} - set(reader.fieldnames or [])
    if missing:
        semicolons = any(";" in name for name in reader.fieldnames or [])
        hint = ": separate the columns with commas, not semicolons" if semicolons else ""
        raise InvalidSeatFile(f"the header lacks {', '.join(sorted(missing))}{hint}")
    rows: list[SeatRow] = []
    seen: set[tuple[str, str, int]] = set()
    for record in reader:
        line = reader.line_num + skipped  # as an editor numbers it: blank lines counted
        try:
            seat = SeatRow(
                section=_required(record, "section", 100),
                row=_required(record, "row", 20),
                number=_seat_number(record.get("number")),
                x=_coordinate(record, "x"),
                y=_coordinate(record, "y"),
                accessible=_accessible(record.get("accessible")),
            )
        except (ValueError, TypeError) as exc:
            raise InvalidSeatFile(f"line {line}: {exc}") from exc
        key = (seat.section, seat.row, seat.number)
        if key in seen:
            raise InvalidSeatFile(f"line {line}: {seat_label(*key)} appears twice")
        seen.add(key)
        rows.append(seat)
        if len(rows) > MAX_SEATS_PER_FILE:
            raise InvalidSeatFile(f"more than {MAX_SEATS_PER_FILE} seats in one file")
    if not rows:
        raise InvalidSeatFile("no seats in the file")
    return rows


MAX_SEATS_PER_FILE = 100_000
MAX_COORDINATE = 1_000_000.0


def _required(record: dict[str, str], column: str, max_length: int) -> str:
    value = (record.get(column) or "").strip()
    if not value:
        raise ValueError(f"'{column}' is empty")
    if len(value) > max_length:
        raise ValueError(f"'{column}' is longer than {max_length} characters")
    if has_control_characters(value):
        raise ValueError(f"'{column}' contains control characters")
    return value


_ACCESSIBLE = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _accessible(raw: str | None) -> bool:
    """Empty is no; another word than these (``maybe``) is refused, not read as no."""
    value = (raw or "").strip().lower()
    if value and value not in _ACCESSIBLE:
        raise ValueError(f"'accessible' must be 1/0, true/false or yes/no, not {value!r}")
    return _ACCESSIBLE.get(value, False)


def _seat_number(raw: str | None) -> int:
    digits = (raw or "").strip()
    if not digits.isascii() or not digits.isdigit():  # int() also took "1_0" and "١٢"
        raise ValueError(f"'number' must be written in digits 0-9, not {digits!r}")
    number = int(digits)
    if not 1 <= number <= MAX_SEAT_NUMBER:
        raise ValueError(f"'number' must be between 1 and {MAX_SEAT_NUMBER}")
    return number


_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def seat_label(section: str, row: str, number: int) -> str:
    """``Stalls row A seat 1``, as the console's preview names a seat."""
    return f"{section} row {row} seat {number}"


def _coordinate(record: dict[str, str], column: str) -> float:
    raw = (record.get(column) or "").strip()
    if raw and not _DECIMAL.fullmatch(raw):  # float() also took "1_0", "inf" and "nan"
        raise ValueError(f"'{column}' must be a number such as 12.5, not {raw!r}")
    value = float(raw or 0)
    if abs(value) > MAX_COORDINATE:
        raise ValueError(f"'{column}' must be a number between ±{MAX_COORDINATE:.0f}")
    return value


def invalid_time_zones(event: Event, venues: list[dict[str, object]]) -> list[str]:
    """What keeps an event from going on sale: time zones ``zoneinfo`` does not know (its
    customers would pay and then get tickets nobody can render at their local time)."""
    found = [f"event {event.event_id}: {event.time_zone!r}"]
    found = found if not is_time_zone(event.time_zone) else []
    found += [
        f"venue {v['venue_id']}: {v['time_zone']!r}"
        for v in venues
        if not is_time_zone(str(v["time_zone"]))
    ]
    return found
