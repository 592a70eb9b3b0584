"""The best-available rule, on small seat maps one can check by eye."""

from __future__ import annotations

import pytest

from ticketing_inventory.domain.seat_selection import (
    SeatSelection,
    count_free,
    select_best_available,
)


def row(label: str, length: int, tier: str = "std") -> list[tuple[str, str]]:
    return [(f"{label}{n}", tier) for n in range(1, length + 1)]


def test_takes_the_first_adjacent_run_in_the_best_row() -> None:
    rows = [row("A", 6), row("B", 6)]
    chosen = select_best_available(rows, {"A1"}, 3)
    assert chosen == SeatSelection(("A2", "A3", "A4"), contiguous=True)


def test_skips_a_better_row_without_room_for_the_group() -> None:
    rows = [row("A", 6), row("B", 6)]
    chosen = select_best_available(rows, {"A3", "A5"}, 3)
    assert chosen == SeatSelection(("B1", "B2", "B3"), contiguous=True)


def test_an_asked_tier_only_takes_seats_of_that_tier() -> None:
    rows = [[("A1", "std"), ("A2", "vip"), ("A3", "vip"), ("A4", "std")]]
    assert select_best_available(rows, set(), 2, "vip") == SeatSelection(("A2", "A3"), True)
    assert select_best_available(rows, set(), 2, "std") == SeatSelection(("A1", "A4"), False)
    assert select_best_available(rows, set(), 4) == SeatSelection(("A1", "A2", "A3", "A4"), True)


def test_without_a_run_starts_in_the_row_with_most_free_seats_longest_runs_first() -> None:
    rows = [row("A", 5), row("B", 5), row("C", 5)]
    taken = {"A2", "A4", "B3", "C1", "C2", "C3", "C4", "C5"}
    # A: 3 free in runs of 1; B: 4 free in runs of 2 -> B first, then spill into C, A
    chosen = select_best_available(rows, taken, 5)
    assert chosen == SeatSelection(("B1", "B2", "B4", "B5", "A1"), contiguous=False)


def test_ties_on_free_seats_go_to_the_better_row_and_spill_wraps_around() -> None:
    rows = [row("A", 4), row("B", 4), row("C", 4)]
    taken = {"A2", "B2", "C1", "C2", "C3", "C4"}
    chosen = select_best_available(rows, taken, 4)
    assert chosen == SeatSelection(("A3", "A4", "A1", "B3"), contiguous=False)


def test_the_spill_after_the_most_free_row_follows_preference_order_then_wraps() -> None:
    rows = [row("A", 4), row("B", 4), row("C", 4)]
    taken = {"A2", "A3", "A4", "B2", "C2"}
    # B and C have 3 free each (tie: B), the row after B is C, then A
    chosen = select_best_available(rows, taken, 7)
    assert chosen == SeatSelection(("B3", "B4", "B1", "C3", "C4", "C1", "A1"), False)


def test_no_selection_with_fewer_free_seats_than_asked() -> None:
    rows = [row("A", 3)]
    assert select_best_available(rows, {"A1"}, 3) is None
    assert count_free(rows, {"A1"}) == 2


def test_quantity_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        select_best_available([row("A", 3)], set(), 0)
