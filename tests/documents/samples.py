"""Orders to print: real signed secrets, one seated and one general-admission ticket, names
that must print literally."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ticketing_documents.domain.ticket_document import (
    OrderDocument,
    SeatLabel,
    TicketFace,
    TicketPrice,
)
from ticketing_orders.domain import tickets
from ticketing_runtime.ids import new_id

SIGNING_KEY = Ed25519PrivateKey.generate()
TRICKY_NAME = '<b>Zoë & "O\'Neil"</b>'
# 19:30 in Berlin on a winter evening (CET, UTC+1)
BERLIN_EVENING = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)


def signed_secret(ticket_id: str, performance_id: str, seat_id: str | None) -> str:
    return tickets.sign(SIGNING_KEY, tickets.TicketClaims(ticket_id, performance_id, seat_id, 1))


def order_document(
    count: int = 3,
    *,
    seated: bool = True,
    holder_name: str = "Ada Lovelace",
    event_name: str = "Die Zauberflöte",
    starts_at: datetime = BERLIN_EVENING,
    time_zone: str = "Europe/Berlin",
    order_number: str = "ORD-20260314-7KQ2XM",
) -> OrderDocument:
    """``count`` tickets; with ``seated``, every ticket but the first has a seat in Section A."""
    order_id, performance_id = new_id("ord"), new_id("prf")
    number = order_number
    faces = []
    for index in range(count):
        ticket_id = new_id("tkt")
        seat = SeatLabel("A", "3", str(12 + index)) if seated and index > 0 else None
        faces.append(
            TicketFace(
                ticket_id=ticket_id,
                ticket_number=f"{number}-{index + 1}",
                secret=signed_secret(ticket_id, performance_id, f"seat_{index}" if seat else None),
                holder_name=holder_name,
                tier_name="Stalls" if seat else "Standing",
                seat=seat,
                price=TicketPrice(4_500, "EUR") if seat else None,
            )
        )
    return OrderDocument(
        order_id=order_id,
        order_number=number,
        event_name=event_name,
        venue_name="Staatsoper Unter den Linden",
        venue_address="Unter den Linden 7, 10117 Berlin",
        starts_at=starts_at,
        time_zone=time_zone,
        tickets=tuple(faces),
        version=1,
    )
