"""The whole seat map of a performance, as the JSON buyers get, built once per layout and per
read of the seat states, not once per request: at 9 a.m. every buyer opening a seated page asks
for it, and building 20,000 seats from the database for each cost ~400 ms of CPU.

The layout (every seat's place and tier) is read again when the stock was loaded since (a change
of price zones loads it: ``HoldStore.loads``), or after ``MAX_LAYOUT_AGE_S`` whatever happens;
the states are ``SeatStates``' (at most a second old, what this process changed at once). Its
gzip (3.6 MB of JSON for 20,000 seats is 0.46 MB; a phone in a queue feels it) is made once per
body too, for the first buyer that accepts it."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json

from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.seat_states import SeatStates

MAX_LAYOUT_AGE_S = 60.0
MAX_PERFORMANCES = 16  # seat maps kept per process (the busiest: the ones asked last)

#: one seat as the map gives it, but for its state
Seat = dict[str, Any]
ReadLayout = Callable[[], Awaitable[list[Seat]]]


@dataclass(frozen=True)
class _Layout:
    loads: int
    read_at: float
    seats: list[Seat]


@dataclass
class _Built:
    layout: _Layout
    states: dict[str, str]
    body: bytes
    gzipped: bytes | None = None

    def gzip(self) -> bytes:
        if self.gzipped is None:
            self.gzipped = gzip.compress(self.body, compresslevel=1, mtime=0)  # ~18 ms for 3.6 MB
        return self.gzipped


class SeatMaps:
    def __init__(
        self,
        holds: HoldStore,
        states: SeatStates,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._holds, self._states, self._clock = holds, states, clock
        self._layouts: OrderedDict[str, _Layout] = OrderedDict()
        self._reading: dict[str, asyncio.Task[_Layout]] = {}
        self._built: OrderedDict[str, _Built] = OrderedDict()

    async def of(
        self, performance_id: str, read_layout: ReadLayout, *, gzipped: bool = False
    ) -> bytes:
        """The map's JSON: ``{"performance_id", "seats": [seat + "state"]}`` (``gzipped``: its
        gzip); ``read_layout`` reads the seats (in map order) when the one kept is out of date."""
        layout = await self._layout(performance_id, read_layout)
        states = await self._states.of(performance_id)
        built = self._built.get(performance_id)
        if built is None or built.layout is not layout or built.states is not states:
            seats = [
                {**seat, "state": states.get(seat["seat_id"], "available")} for seat in layout.seats
            ]
            body = to_json({"performance_id": performance_id, "seats": seats})
            built = _Built(layout, states, body)
            _keep(self._built, performance_id, built)
        return built.gzip() if gzipped else built.body

    async def _layout(self, performance_id: str, read_layout: ReadLayout) -> _Layout:
        loads = await self._holds.loads(performance_id)
        kept = self._layouts.get(performance_id)
        if (
            kept is not None
            and kept.loads == loads
            and self._clock() - kept.read_at < MAX_LAYOUT_AGE_S
        ):
            return kept
        reading = self._reading.get(performance_id)
        if reading is None:  # one read however many buyers ask at once
            reading = asyncio.ensure_future(self._read(performance_id, loads, read_layout))
            self._reading[performance_id] = reading
        return await asyncio.shield(reading)

    async def _read(self, performance_id: str, loads: int, read_layout: ReadLayout) -> _Layout:
        try:
            # the count is read before the seats: a load in between makes the next ask read again
            layout = _Layout(loads, self._clock(), await read_layout())
        finally:
            del self._reading[performance_id]
        _keep(self._layouts, performance_id, layout)
        return layout


def _keep(kept: OrderedDict[str, Any], performance_id: str, value: object) -> None:
    kept[performance_id] = value
    kept.move_to_end(performance_id)
    while len(kept) > MAX_PERFORMANCES:
        kept.popitem(last=False)
