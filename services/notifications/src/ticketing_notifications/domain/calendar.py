"""An iCalendar (RFC 5545) invitation for a performance: start and end in the venue's zone."""

from __future__ import annotations

from datetime import UTC, datetime


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data, parts = line.encode(), list[str]()
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _repeated(moment: datetime) -> bool:
    """The local time happens twice that night (the clocks go back)."""
    return moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset()


def _zone(time_zone: str, starts_at: datetime) -> list[str]:
    """A VTIMEZONE holding the zone's offset at the performance (all this calendar needs;
    RFC 5545 wants every TZID defined in the file)."""
    offset = _offset(starts_at)
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{time_zone}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{offset}",
        f"TZOFFSETTO:{offset}",
        f"TZNAME:{starts_at.tzname() or time_zone}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def invitation(
    *,
    uid: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    location: str,
    description: str,
    url: str,
) -> bytes:
    """``starts_at``/``ends_at`` aware datetimes, already in ``time_zone`` (an IANA name).

    A performance across a change of the clocks (the night summer time ends) is written in UTC:
    the zone this file defines holds one offset, which would put the end an hour off. So is
    one in the hour the clocks repeat: RFC 5545 reads such a local time as its first
    occurrence, an hour early for a show in the second."""
    if _offset(starts_at) == _offset(ends_at) and not (_repeated(starts_at) or _repeated(ends_at)):
        zone = _zone(time_zone, starts_at)
        times = [
            f"DTSTART;TZID={time_zone}:{_local(starts_at)}",
            f"DTEND;TZID={time_zone}:{_local(ends_at)}",
        ]
    else:
        zone = []
        times = [f"DTSTART:{_utc(starts_at)}", f"DTEND:{_utc(ends_at)}"]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ticketing platform//Tickets//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *zone,
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(datetime.now(UTC))}",
        *times,
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
