"""The confirmation's calendar invitation and the links that carry the order's token."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ticketing_notifications.domain.calendar import invitation
from ticketing_notifications.domain.links import checkout_url, order_url
from ticketing_notifications.service_layer.confirmation import ticket_line, venue_line

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_the_invitation_holds_start_and_end_in_the_venue_zone_and_the_place() -> None:
    ics = invitation(
        uid="ord_1@tickets",
        summary="Hamlet; the play",
        starts_at=datetime(2026, 12, 12, 20, 0, tzinfo=AMSTERDAM),
        ends_at=datetime(2026, 12, 12, 22, 30, tzinfo=AMSTERDAM),
        time_zone="Europe/Amsterdam",
        location="Concertgebouw, Concertgebouwplein 10, Amsterdam",
        description="Order ORD-1: " + "x" * 120,
        url="http://127.0.0.1:28080/orders/ord_1#token=t",
    ).decode()
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert "DTSTART;TZID=Europe/Amsterdam:20261212T200000" in lines
    assert "DTEND;TZID=Europe/Amsterdam:20261212T223000" in lines
    assert "TZID:Europe/Amsterdam" in lines  # the zone the TZIDs name is defined
    assert "TZOFFSETTO:+0100" in lines
    assert "SUMMARY:Hamlet\\; the play" in lines
    assert "LOCATION:Concertgebouw\\, Concertgebouwplein 10\\, Amsterdam" in lines
    assert all(len(line.encode()) <= 75 for line in lines)  # long lines are folded
    unfolded = ics.replace("\r\n ", "")
    assert "DESCRIPTION:Order ORD-1: " + "x" * 120 in unfolded


def test_links_carry_the_token_in_the_fragment_never_the_path_or_query() -> None:
    pay = checkout_url("https://tickets.example/", "ord_1", "a/b+c")
    assert pay == "https://tickets.example/checkout/ord_1#token=a%2Fb%2Bc"
    page = order_url("https://tickets.example", "ord_1", "tok")
    assert page == "https://tickets.example/orders/ord_1#token=tok"


def test_each_ticket_says_its_seat_or_tier_and_the_venue_its_address() -> None:
    seated = {
        "ticket_number": "ORD-1-1",
        "tier_name": "Stalls",
        "seat": {"section": "Stalls", "row": "B", "number": 4, "seat_id": "s"},
    }
    standing = {"ticket_number": "ORD-1-2", "tier_name": "Floor", "seat": None}
    assert ticket_line(seated) == "ORD-1-1: Stalls, row B, seat 4 (Stalls)"
    assert ticket_line(standing) == "ORD-1-2: Floor, general admission"
    assert venue_line({"venue_name": "Hall", "venue_address": "1 Main St"}) == "Hall, 1 Main St"
    assert venue_line({"venue_name": None, "venue_address": None}).startswith("General admission")
