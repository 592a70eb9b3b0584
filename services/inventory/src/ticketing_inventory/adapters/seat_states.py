"""Every seat's state of a performance, read from the hold store at most once a second per
process: on sale day thousands of buyers' seat maps ask every few seconds, and each read walks
every seat in Redis (20 ms for 20,000 seats), on the thread that also decides the holds.

What this process changed since a read (a hold placed, released, sold here) is read anew, so a
buyer's own hold shows at once; another replica's change shows within the second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ticketing_inventory.adapters.hold_store import HoldStore

MAX_AGE_S = 1.0


class SeatStates:
    def __init__(
        self,
        holds: HoldStore,
        max_age_s: float = MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``clock`` measures the age of a read (tests move it); what this process changed is
        told by the store's ``written_at``, on ``time.monotonic``."""
        self._holds = holds
        self._max_age_s = max_age_s
        self._clock = clock
        # performance -> (read begun, by ``time.monotonic``; by ``clock``; the states)
        self._read: dict[str, tuple[float, float, dict[str, str]]] = {}
        self._reading: dict[str, tuple[float, asyncio.Task[dict[str, str]]]] = {}

    async def of(self, performance_id: str) -> dict[str, str]:
        """Seat id -> ``available``, ``held`` or ``sold`` (a seat not listed: available)."""
        written = self._holds.written_at(performance_id)
        cached = self._read.get(performance_id)
        if (
            cached is not None
            and cached[0] > written
            and self._clock() - cached[1] < self._max_age_s
        ):
            return cached[2]
        reading = self._reading.get(performance_id)
        if reading is None or reading[0] <= written:  # none, or begun before a change here
            started = time.monotonic()
            task = asyncio.ensure_future(self._read_now(performance_id, started))
            reading = (started, task)
            self._reading[performance_id] = reading
        return await asyncio.shield(reading[1])

    async def _read_now(self, performance_id: str, started: float) -> dict[str, str]:
        read_at = self._clock()
        try:
            states = (await self._holds.availability(performance_id)).seats
        finally:
            if self._reading.get(performance_id, (0.0, None))[0] == started:
                del self._reading[performance_id]
        if started > self._holds.written_at(performance_id):
            self._read[performance_id] = (started, read_at, states)
        return states
