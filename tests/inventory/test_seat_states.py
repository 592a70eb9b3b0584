"""The seat states the seat maps read, against the real Redis: at most one read of every seat
a second per process, and what this process changed since is read anew."""

from __future__ import annotations

import asyncio

import pytest

from tests.inventory.conftest import Show
from tests.inventory.test_hold_store import T0, TTL_MS, seated_stock
from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.seat_states import SeatStates
from ticketing_inventory.domain.holds import Availability

pytestmark = pytest.mark.infra


def counting_reads(show: Show) -> list[int]:
    """How often the store reads every seat (the cost the cache saves)."""
    reads: list[int] = []
    read = show.store.availability

    async def counted(performance_id: str, now_ms: int | None = None) -> Availability:
        reads.append(1)
        return await read(performance_id, now_ms)

    show.store.availability = counted  # type: ignore[method-assign]
    return reads


async def test_seat_maps_asked_together_or_within_a_second_read_every_seat_once(
    show: Show,
) -> None:
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    reads = counting_reads(show)
    states = SeatStates(show.store)
    together = await asyncio.gather(*(states.of(show.performance_id) for _ in range(50)))
    assert await states.of(show.performance_id) == together[0]
    assert len(reads) == 1
    assert together[0] == dict.fromkeys(("A1", "A2", "A3", "A4"), "available")


async def test_a_hold_placed_by_this_process_shows_at_once(show: Show) -> None:
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    reads = counting_reads(show)
    states = SeatStates(show.store)
    assert (await states.of(show.performance_id))["A2"] == "available"
    await show.store.place_seats(
        show.performance_id, "ses_a", show.hold_id(), ["A2"], TTL_MS, 10, T0
    )
    assert (await states.of(show.performance_id))["A2"] == "held"
    assert len(reads) == 2


async def test_another_replicas_change_shows_once_the_read_is_a_second_old(show: Show) -> None:
    await show.store.load(seated_stock(show, [["stalls"] * 4]))
    clock = [1000.0]
    states = SeatStates(show.store, clock=lambda: clock[0])
    assert (await states.of(show.performance_id))["A1"] == "available"
    replica = HoldStore(show.store._redis)  # another process: its writes are its own
    await replica.place_seats(show.performance_id, "ses_b", show.hold_id(), ["A1"], TTL_MS, 10, T0)
    clock[0] += 0.9
    assert (await states.of(show.performance_id))["A1"] == "available"  # within the second
    clock[0] += 0.1
    assert (await states.of(show.performance_id))["A1"] == "held"
