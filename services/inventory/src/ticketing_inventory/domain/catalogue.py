"""Catalogue rules: event life cycle, when a performance sells, seat CSV rows. No I/O."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


EVENT_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED}),
    EventStatus.PUBLISHED: frozenset({EventStatus.CANCELLED}),
    EventStatus.CANCELLED: frozenset(),
}


class CatalogueError(ValueError):
    """A catalogue change that the rules refuse; ``code`` names the problem."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def next_event_status(current: EventStatus, wanted: EventStatus) -> EventStatus:
    if wanted not in EVENT_TRANSITIONS[current]:
        raise CatalogueError(
            "illegal-transition", f"an event that is {current} cannot become {wanted}"
        )
    return wanted


@dataclass(frozen=True)
class SaleWindow:
    event_status: str
    performance_status: str
    starts_at: datetime
    sales_open_at: datetime
    sales_close_at: datetime


class NotOnSale(ValueError):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def check_on_sale(window: SaleWindow, now: datetime) -> None:
    """Raise ``NotOnSale`` with the reason a buyer would want to read."""
    if window.event_status == EventStatus.CANCELLED or window.performance_status == "cancelled":
        raise NotOnSale("performance-cancelled", "this performance is cancelled")
    if window.event_status != EventStatus.PUBLISHED:
        raise NotOnSale("performance-not-published", "this performance is not on sale yet")
    if window.starts_at <= now:
        raise NotOnSale("performance-past", "this performance has already started")
    if now < window.sales_open_at:
        raise NotOnSale("sales-not-open", f"sales open at {window.sales_open_at.isoformat()}")
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
    """Seats from CSV (header ``section,row,number[,x,y,accessible]``); errors name the line."""
    reader = csv.DictReader(io.StringIO(text.strip()))
    missing = {"section", "row", "number"} - set(reader.fieldnames or [])
    if missing:
        raise CatalogueError("invalid-csv", f"the header lacks {', '.join(sorted(missing))}")
    rows: list[SeatRow] = []
    seen: set[tuple[str, str, int]] = set()
    for line, record in enumerate(reader, start=2):
        try:
            seat = SeatRow(
                section=_required(record, "section"),
                row=_required(record, "row"),
                number=int(record["number"]),
                x=float(record.get("x") or 0),
                y=float(record.get("y") or 0),
                accessible=(record.get("accessible") or "").strip().lower() in {"1", "true", "yes"},
            )
        except (ValueError, TypeError) as exc:
            raise CatalogueError("invalid-csv", f"line {line}: {exc}") from exc
        key = (seat.section, seat.row, seat.number)
        if key in seen:
            raise CatalogueError("invalid-csv", f"line {line}: seat {key} appears twice")
        seen.add(key)
        rows.append(seat)
    if not rows:
        raise CatalogueError("invalid-csv", "no seats in the file")
    return rows


def _required(record: dict[str, str], column: str) -> str:
    value = (record.get(column) or "").strip()
    if not value:
        raise ValueError(f"'{column}' is empty")
    return value
