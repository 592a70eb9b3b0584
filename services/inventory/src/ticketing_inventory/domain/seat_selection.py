"""Best available: which free seats a customer gets when they ask for N seats, not for seats.

The rule (the Lua script ``adapters/lua/place_best_available.lua`` applies the same one inside
Redis; the unit tests cross-check the two):

1. Rows are scanned in order of preference (best first). In each row, the first run of
   ``quantity`` adjacent free seats (of the asked tier, if one is asked) is taken: the customer
   sits together, ``contiguous=True``.
2. If no row has such a run, the closest group is taken instead, ``contiguous=False``: start in
   the row with the most free seats (ties: the better row), then spill into the rows after it in
   order of preference, wrapping around to the best row. Within a row the longest runs are taken
   first (ties: the run that starts first), each from its start.
3. With fewer free seats than ``quantity`` in total there is no selection.

A seat is eligible when it is free and, if a tier is asked, of that tier. Seats of different
tiers may sit side by side; without an asked tier a run may cross them.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass

Row = Sequence[tuple[str, str]]  # (seat_id, tier_id), in physical order


@dataclass(frozen=True)
class SeatSelection:
    seat_ids: tuple[str, ...]
    contiguous: bool


@dataclass(frozen=True)
class _Run:
    start: int
    length: int


def select_best_available(
    rows: Sequence[Row], taken: Container[str], quantity: int, tier_id: str | None = None
) -> SeatSelection | None:
    """The seats to hold, or ``None`` when fewer than ``quantity`` eligible seats are free."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    eligible = [_eligible_flags(row, taken, tier_id) for row in rows]
    if sum(sum(flags) for flags in eligible) < quantity:
        return None
    for row, flags in zip(rows, eligible, strict=True):
        start = _first_window(flags, quantity)
        if start is not None:
            return SeatSelection(tuple(s for s, _ in row[start : start + quantity]), True)
    return SeatSelection(_closest_group(rows, eligible, quantity), False)


def count_free(rows: Sequence[Row], taken: Container[str], tier_id: str | None = None) -> int:
    return sum(sum(_eligible_flags(row, taken, tier_id)) for row in rows)


def _eligible_flags(row: Row, taken: Container[str], tier_id: str | None) -> list[bool]:
    return [seat not in taken and (tier_id is None or tier == tier_id) for seat, tier in row]


def _first_window(flags: Sequence[bool], quantity: int) -> int | None:
    run = 0
    for index, free in enumerate(flags):
        run = run + 1 if free else 0
        if run == quantity:
            return index - quantity + 1
    return None


def _runs(flags: Sequence[bool]) -> list[_Run]:
    runs: list[_Run] = []
    start: int | None = None
    for index, free in enumerate([*flags, False]):
        if free and start is None:
            start = index
        elif not free and start is not None:
            runs.append(_Run(start, index - start))
            start = None
    return runs


def _closest_group(
    rows: Sequence[Row], eligible: Sequence[Sequence[bool]], quantity: int
) -> tuple[str, ...]:
    counts = [sum(flags) for flags in eligible]
    first = counts.index(max(counts))
    order = [*range(first, len(rows)), *range(first)]
    chosen: list[str] = []
    for row_index in order:
        longest_first = sorted(_runs(eligible[row_index]), key=lambda r: (-r.length, r.start))
        for run in longest_first:
            needed = quantity - len(chosen)
            if needed == 0:
                return tuple(chosen)
            row = rows[row_index]
            chosen.extend(seat for seat, _ in row[run.start : run.start + min(run.length, needed)])
    return tuple(chosen)
