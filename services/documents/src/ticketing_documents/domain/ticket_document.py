"""What a ticket document shows, how it reads to a person, and where it is stored. No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ticketing_runtime.currencies import minor_unit_digits
from ticketing_runtime.time_zones import zone_or_utc

MIDDLE_DOT = " · "
GENERAL_ADMISSION = "General admission"
#: the start of a performance whose start orders did not give: printed as "to be announced"
UNKNOWN_START = datetime(1970, 1, 1, tzinfo=UTC)
DATE_TO_BE_ANNOUNCED = "Date to be announced"
TIME_TO_BE_ANNOUNCED = "Time to be announced"
#: printed for a fact the catalogue did not give (a ticket is never refused for it)
PLACEHOLDER = "To be announced"

# ids become path segments of storage keys: nothing that could climb out of a folder
_KEY_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")


@dataclass(frozen=True)
class SeatLabel:
    section: str
    row: str
    number: str


@dataclass(frozen=True)
class TicketPrice:
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class TicketFace:
    ticket_id: str
    ticket_number: str
    secret: str  # the signed secret the door scans: the QR code
    holder_name: str
    tier_name: str
    seat: SeatLabel | None  # None: general admission
    price: TicketPrice | None = None  # None: no price printed (comps, or the organiser's choice)
    # what door staff type when the QR code cannot be scanned, looked up online
    # (``POST /v1/checkin/by-number``); empty: the ticket number. Never the signed secret:
    # ~150 characters nobody types right at a door
    manual_code: str = ""

    @property
    def fallback_text(self) -> str:
        """The human fallback printed under the QR code."""
        return self.manual_code or self.ticket_number


@dataclass(frozen=True)
class OrderDocument:
    order_id: str
    order_number: str
    event_name: str
    venue_name: str
    venue_address: str | None
    starts_at: datetime  # aware
    time_zone: str  # IANA name of the venue's zone, e.g. "Europe/Berlin"
    tickets: tuple[TicketFace, ...]
    version: int  # a re-render (after a change of seat or holder) is a new version

    def ticket(self, ticket_id: str) -> TicketFace:
        for face in self.tickets:
            if face.ticket_id == ticket_id:
                return face
        raise KeyError(f"order {self.order_id} has no ticket {ticket_id}")


def local_starts_at(starts_at: datetime, time_zone: str) -> datetime:
    """The start as the venue's clock shows it; a naive datetime is refused, not guessed at.
    A zone ``zoneinfo`` does not know falls back to UTC (printed as such, with a warning)."""
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise ValueError("starts_at must be timezone-aware")
    if starts_at == UNKNOWN_START:
        return UNKNOWN_START
    return starts_at.astimezone(zone_or_utc(time_zone, what="ticket start"))


def start_date_text(local: datetime) -> str:
    """E.g. ``Saturday 14 March 2026`` (English names, whatever the process locale)."""
    if local == UNKNOWN_START:
        return DATE_TO_BE_ANNOUNCED
    weekday = _WEEKDAYS[local.weekday()]
    return f"{weekday} {local.day} {_MONTHS[local.month - 1]} {local.year}"


def start_time_text(local: datetime) -> str:
    """E.g. ``19:30 CET``: the zone's abbreviation tells a traveller which clock is meant."""
    if local == UNKNOWN_START:
        return TIME_TO_BE_ANNOUNCED
    return f"{local:%H:%M} {local.tzname()}"


def seat_text(seat: SeatLabel | None) -> str:
    if seat is None:
        return GENERAL_ADMISSION
    return MIDDLE_DOT.join((f"Section {seat.section}", f"Row {seat.row}", f"Seat {seat.number}"))


def price_text(price: TicketPrice) -> str:
    """E.g. ``EUR 45.00``, ``JPY 5000`` (the code, never a symbol that several currencies share)."""
    digits = minor_unit_digits(price.currency)
    if digits == 0:
        return f"{price.currency} {price.amount_minor}"
    whole, fraction = divmod(price.amount_minor, 10**digits)
    return f"{price.currency} {whole}.{fraction:0{digits}d}"


def document_key(order_id: str, version: int) -> str:
    """Storage key of the whole order's PDF (every ticket, one page each)."""
    return f"{_order_prefix(order_id, version)}/tickets.pdf"


def ticket_document_key(order_id: str, version: int, ticket_id: str) -> str:
    """Storage key of one ticket's PDF."""
    if ticket_id == "tickets":  # would be the whole order's document
        raise ValueError("a ticket cannot be called 'tickets'")
    return f"{_order_prefix(order_id, version)}/{_segment(ticket_id)}.pdf"


def _order_prefix(order_id: str, version: int) -> str:
    if version < 1:
        raise ValueError(f"a document version starts at 1, not {version}")
    return f"orders/{_segment(order_id)}/v{version}"


def _segment(value: str) -> str:
    if not _KEY_SEGMENT.fullmatch(value):
        raise ValueError(f"not usable in a storage key: {value!r}")
    return value


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
