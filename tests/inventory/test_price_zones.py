"""Price zones as the domain decides them (no servers): the later zone wins, a zone selects
whole rows of a section or of every section, and a seat no zone selects is not sold."""

from __future__ import annotations

import random

import pytest

from ticketing_inventory.domain.price_zones import PriceZone, VenueSeat, tiers_of_seats

HALL = [
    VenueSeat(f"{section}-{row}-{n}", section, row)
    for section in ("Stalls", "Circle", "Box")
    for row in ("A", "B", "C")
    for n in range(1, 4)
]


def by_definition(seats: list[VenueSeat], zones: list[PriceZone]) -> dict[str, str]:
    """Every zone over every seat, in order: what the zones mean (and what it cost before)."""
    tiers: dict[str, str] = {}
    for zone in zones:
        for seat in seats:
            if zone.section not in (None, seat.section):
                continue
            if zone.rows is not None and seat.row not in zone.rows:
                continue
            tiers[seat.seat_id] = zone.tier_id
    return tiers


def test_a_later_zone_wins_over_the_rows_it_selects() -> None:
    zones = [
        PriceZone("standard"),
        PriceZone("premium", section="Stalls", rows=["A"]),
        PriceZone("box", section="Box"),
    ]
    tiers = tiers_of_seats(HALL, zones)
    assert tiers["Stalls-A-1"] == "premium"
    assert tiers["Stalls-B-1"] == "standard"
    assert tiers["Circle-A-2"] == "standard"
    assert {tiers[s.seat_id] for s in HALL if s.section == "Box"} == {"box"}
    assert len(tiers) == len(HALL)


def test_a_seat_no_zone_selects_has_no_tier_and_unknown_rows_select_nothing() -> None:
    tiers = tiers_of_seats(HALL, [PriceZone("t", section="Circle", rows=["B", "Z"])])
    assert sorted(tiers) == ["Circle-B-1", "Circle-B-2", "Circle-B-3"]
    assert tiers_of_seats(HALL, [PriceZone("t", section="Gallery")]) == {}


@pytest.mark.parametrize("seed", range(200))
def test_the_rows_decided_once_give_what_every_zone_over_every_seat_gives(seed: int) -> None:
    rng = random.Random(seed)
    sections, rows = ["S1", "S2", "S3", "S4"], ["A", "B", "C", "D", "E"]
    seats = [
        VenueSeat(f"{s}{r}{n}", s, r)
        for s in sections
        for r in rng.sample(rows, rng.randint(1, len(rows)))
        for n in range(rng.randint(1, 3))
    ]
    zones = [
        PriceZone(
            f"tier{rng.randint(1, 4)}",
            section=rng.choice([None, *sections, "S9"]),
            rows=rng.choice([None, rng.sample([*rows, "Z"], rng.randint(1, 3))]),
        )
        for _ in range(rng.randint(1, 8))
    ]
    assert tiers_of_seats(seats, zones) == by_definition(seats, zones)
