"""The whole seat map, built once for every buyer asking rather than once per request, against
the real Redis: the layout is read once per load of the stock, the JSON once per read of the
states, and what changes shows as the seat states and a new load say."""

from __future__ import annotations

import asyncio
import gzip
import json
from typing import Any

import pytest

from tests.inventory.conftest import Show
from tests.inventory.test_hold_store import T0, TTL_MS, seated_stock
from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.seat_maps import MAX_LAYOUT_AGE_S, SeatMaps
from ticketing_inventory.adapters.seat_states import SeatStates
from ticketing_inventory.entrypoints.http_catalogue import accepts_gzip
from ticketing_inventory.entrypoints.public_schemas import SeatMapOut

pytestmark = pytest.mark.infra


class Layouts:
    """What the database would answer for the seats, counting how often it is asked."""

    def __init__(self, seat_ids: list[str], tier_id: str = "stalls") -> None:
        self.tier_id, self.seat_ids, self.reads = tier_id, seat_ids, 0

    async def read(self) -> list[dict[str, Any]]:
        self.reads += 1
        await asyncio.sleep(0)  # a real read awaits: buyers asking meanwhile must share it
        return [
            {
                "seat_id": seat_id,
                "section": "Stalls",
                "row": seat_id[0],
                "number": int(seat_id[1:]),
                "x": float(n),
                "y": 0.0,
                "accessible": False,
                "tier_id": self.tier_id,
            }
            for n, seat_id in enumerate(self.seat_ids)
        ]


SEATS = ["A1", "A2", "A3", "A4"]


async def test_buyers_asking_together_share_one_read_and_one_body(show: Show) -> None:
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    layouts = Layouts(SEATS)
    maps = SeatMaps(show.store, SeatStates(show.store))

    bodies = await asyncio.gather(*(maps.of(show.performance_id, layouts.read) for _ in range(50)))

    assert layouts.reads == 1
    assert len({id(body) for body in bodies}) == 1, "one JSON for all"
    answer = SeatMapOut.model_validate_json(bodies[0])
    assert answer.performance_id == show.performance_id
    assert [(s.seat_id, s.tier_id, s.state) for s in answer.seats] == [
        (seat, "stalls", "available") for seat in SEATS
    ]


async def test_a_hold_shows_at_once_without_reading_the_layout_again(show: Show) -> None:
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    layouts = Layouts(SEATS)
    maps = SeatMaps(show.store, SeatStates(show.store))
    await maps.of(show.performance_id, layouts.read)

    await show.store.place_seats(
        show.performance_id, "ses_a", show.hold_id(), ["A2"], TTL_MS, 10, T0
    )

    seats = json.loads(await maps.of(show.performance_id, layouts.read))["seats"]
    assert {s["seat_id"]: s["state"] for s in seats}["A2"] == "held"
    assert layouts.reads == 1


async def test_a_new_load_of_the_stock_by_any_replica_reads_the_layout_again(show: Show) -> None:
    """A change of price zones is loaded into the hold store: the map shows the new tiers at
    once, in every process, not after some cache's age."""
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    layouts = Layouts(SEATS)
    maps = SeatMaps(show.store, SeatStates(show.store))
    await maps.of(show.performance_id, layouts.read)

    layouts.tier_id = "circle"  # staff moved the seats to another tier, in Postgres
    replica = HoldStore(show.store._redis)  # another process loads the change
    await replica.load(seated_stock(show, [["circle"] * 4]))

    seats = json.loads(await maps.of(show.performance_id, layouts.read))["seats"]
    assert {s["tier_id"] for s in seats} == {"circle"}
    assert layouts.reads == 2


async def test_the_layout_is_read_again_once_it_is_a_minute_old(show: Show) -> None:
    """Whatever change a load did not announce (none should) shows within the minute."""
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    clock = [1000.0]
    layouts = Layouts(SEATS)
    maps = SeatMaps(show.store, SeatStates(show.store), clock=lambda: clock[0])
    await maps.of(show.performance_id, layouts.read)
    clock[0] += MAX_LAYOUT_AGE_S - 1
    await maps.of(show.performance_id, layouts.read)
    assert layouts.reads == 1
    clock[0] += 1
    await maps.of(show.performance_id, layouts.read)
    assert layouts.reads == 2


async def test_the_gzip_is_the_same_json_made_once_per_body(show: Show) -> None:
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    layouts = Layouts(SEATS)
    maps = SeatMaps(show.store, SeatStates(show.store))
    body = await maps.of(show.performance_id, layouts.read)
    first = await maps.of(show.performance_id, layouts.read, gzipped=True)
    again = await maps.of(show.performance_id, layouts.read, gzipped=True)

    assert gzip.decompress(first) == body
    assert again is first


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("", False),
        ("identity", False),
        ("gzip", True),
        ("GZIP", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, *;q=1", False),
        ("*", True),
        ("*;q=0", False),
        ("x-gzip", True),
        ("deflate, br", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_gzip_is_sent_only_where_accept_encoding_accepts_it(
    accept_encoding: str, gzipped: bool
) -> None:
    assert accepts_gzip(accept_encoding) is gzipped
