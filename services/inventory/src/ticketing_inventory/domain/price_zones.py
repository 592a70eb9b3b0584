"""Price zones: the tier each seat of a venue is sold in, from zones that name a tier and select
seats by section (every section when none) and rows (every row of it when none). Where zones
overlap, the later one wins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PriceZone:
    """Seats of ``section`` (every section when None), ``rows`` of it (every row when None)."""

    tier_id: str
    section: str | None = None
    rows: Sequence[str] | None = None


@dataclass(frozen=True)
class VenueSeat:
    seat_id: str
    section: str
    row: str


def tiers_of_seats(seats: Iterable[VenueSeat], zones: Sequence[PriceZone]) -> dict[str, str]:
    """Seat id -> tier id, for the seats some zone selects.

    A zone selects whole rows, so each row is decided once: zones are read from the last, and
    a row a later zone decided is passed over. The work is the seats plus the rows each zone
    names, not zones x seats x rows (a thousand zones over a stadium held the performance's
    lock for minutes)."""
    undecided: dict[str, dict[str, list[str]]] = {}  # section -> row -> its seat ids
    for seat in seats:
        undecided.setdefault(seat.section, {}).setdefault(seat.row, []).append(seat.seat_id)
    tiers: dict[str, str] = {}
    for zone in reversed(zones):
        sections = list(undecided) if zone.section is None else [zone.section]
        for section in sections:
            rows = undecided.get(section)
            if rows is None:
                continue
            names = list(rows) if zone.rows is None else [r for r in zone.rows if r in rows]
            for name in names:
                for seat_id in rows.pop(name):
                    tiers[seat_id] = zone.tier_id
            if not rows:
                del undecided[section]
    return tiers
