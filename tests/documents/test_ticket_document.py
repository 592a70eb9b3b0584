"""What a ticket says and where it is kept, without rendering anything."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from tests.documents.samples import order_document
from ticketing_documents.domain.ticket_document import (
    SeatLabel,
    TicketPrice,
    document_key,
    local_starts_at,
    price_text,
    seat_text,
    start_date_text,
    start_time_text,
    ticket_document_key,
)


def _shown(local: datetime) -> str:
    return f"{start_date_text(local)}, {start_time_text(local)}"


def test_start_is_shown_on_the_venues_clock_in_winter_and_summer() -> None:
    winter = local_starts_at(datetime(2026, 3, 14, 18, 30, tzinfo=UTC), "Europe/Berlin")
    summer = local_starts_at(datetime(2026, 7, 10, 17, 30, tzinfo=UTC), "Europe/Berlin")
    assert _shown(winter) == "Saturday 14 March 2026, 19:30 CET"
    assert _shown(summer) == "Friday 10 July 2026, 19:30 CEST"


def test_the_local_date_is_the_venues_even_when_utc_is_already_the_next_day() -> None:
    local = local_starts_at(datetime(2026, 3, 15, 1, 30, tzinfo=UTC), "America/New_York")
    assert _shown(local) == "Saturday 14 March 2026, 21:30 EDT"


def test_a_naive_start_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_starts_at(datetime(2026, 3, 14, 19, 30), "Europe/Berlin")


def test_seat_text() -> None:
    assert seat_text(SeatLabel("A", "3", "12")) == "Section A · Row 3 · Seat 12"
    assert seat_text(None) == "General admission"


@pytest.mark.parametrize(
    ("price", "text"),
    [
        (TicketPrice(4_500, "EUR"), "EUR 45.00"),
        (TicketPrice(5, "GBP"), "GBP 0.05"),
        (TicketPrice(5_000, "JPY"), "JPY 5000"),
        (TicketPrice(12_345, "KWD"), "KWD 12.345"),
    ],
)
def test_price_text_uses_the_currencys_minor_unit(price: TicketPrice, text: str) -> None:
    assert price_text(price) == text


def test_the_fallback_to_type_is_the_ticket_number_never_the_signed_secret() -> None:
    ticket = order_document(1).tickets[0]
    assert ticket.fallback_text == ticket.ticket_number
    assert dataclasses.replace(ticket, manual_code="ABC-1").fallback_text == "ABC-1"


def test_document_keys() -> None:
    assert document_key("ord_7Kq2", 3) == "orders/ord_7Kq2/v3/tickets.pdf"
    assert ticket_document_key("ord_7Kq2", 3, "tkt_9x") == "orders/ord_7Kq2/v3/tkt_9x.pdf"


@pytest.mark.parametrize("bad_id", ["", "..", "a/b", "../etc", ".hidden", "a b", "é", "x" * 129])
def test_ids_that_could_escape_their_folder_are_refused(bad_id: str) -> None:
    with pytest.raises(ValueError, match="storage key"):
        document_key(bad_id, 1)
    with pytest.raises(ValueError, match="storage key"):
        ticket_document_key("ord_1", 1, bad_id)


def test_a_ticket_cannot_take_the_whole_orders_name_nor_a_version_below_one() -> None:
    with pytest.raises(ValueError, match="tickets"):
        ticket_document_key("ord_1", 1, "tickets")
    with pytest.raises(ValueError, match="version"):
        document_key("ord_1", 0)


def test_an_order_finds_its_tickets_by_id() -> None:
    doc = order_document(2)
    assert doc.ticket(doc.tickets[1].ticket_id) is doc.tickets[1]
    with pytest.raises(KeyError):
        doc.ticket("tkt_not_in_this_order")
