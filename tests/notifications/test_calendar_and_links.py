"""The confirmation's calendar invitation and the links that carry the order's token."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ticketing_notifications.domain.calendar import invitation
from ticketing_notifications.domain.links import checkout_url, order_url, performance_url
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
        url="http://127.0.0.1:28080/performances/prf_1",
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


def club_night(starts_at: datetime, ends_at: datetime) -> list[str]:
    """The lines of a club night's invitation in the start's zone."""
    zone = starts_at.tzinfo
    assert isinstance(zone, ZoneInfo)
    return (
        invitation(
            uid="ord_2@tickets",
            summary="All-nighter",
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=zone.key,
            location="Club",
            description="Order ORD-2",
            url="https://tickets.example/performances/prf_2",
        )
        .decode()
        .split("\r\n")
    )


def test_a_performance_across_the_change_of_the_clocks_is_written_in_utc() -> None:
    """The night summer time ends in Amsterdam (25 Oct 2026, 03:00 CEST becomes 02:00 CET): a
    zone defined with the start's offset alone put the end an hour off."""
    lines = club_night(
        datetime(2026, 10, 25, 1, 30, tzinfo=AMSTERDAM),  # CEST, +02:00
        datetime(2026, 10, 25, 3, 30, tzinfo=AMSTERDAM),  # CET, +01:00
    )
    assert "DTSTART:20261024T233000Z" in lines
    assert "DTEND:20261025T023000Z" in lines  # three hours later, as the clocks say
    assert not any(line.startswith("TZID") or "VTIMEZONE" in line for line in lines)


def test_a_performance_in_the_hour_the_clocks_repeat_is_written_in_utc() -> None:
    """01:30 GMT, the second 01:30 of London's night of 31 October 2027: written as a local
    time a calendar reads it as the first, BST, an hour early."""
    london = ZoneInfo("Europe/London")
    lines = club_night(
        datetime(2027, 10, 31, 1, 30, fold=1, tzinfo=london),
        datetime(2027, 10, 31, 3, 30, tzinfo=london),
    )
    assert "DTSTART:20271031T013000Z" in lines
    assert "DTEND:20271031T033000Z" in lines
    assert not [line for line in lines if "TZID" in line]


def test_the_invitation_links_to_the_performance_never_to_the_order() -> None:
    """A calendar is shared with colleagues and synced to other devices: the order's token
    would open its tickets (transferable QR codes) to all of them."""
    page = performance_url("https://tickets.example/", "prf_1")
    assert page == "https://tickets.example/performances/prf_1"
