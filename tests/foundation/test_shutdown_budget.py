"""One shutdown budget counted from the signal: every stage waits only for what is left of it."""

from __future__ import annotations

import asyncio
import logging
import signal
from types import FrameType

import pytest

from ticketing_runtime.shutdown import FLOOR_S, ShutdownBudget


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_budget_counts_from_the_start_of_shutdown_and_never_below_the_floor() -> None:
    clock = FakeClock()
    budget = ShutdownBudget(20.0, clock)
    assert budget.remaining() == 20.0  # not stopping yet
    budget.begin()
    clock.now += 12.5
    assert budget.remaining() == 7.5
    budget.begin()  # a later stage does not start the count again
    assert budget.remaining() == 7.5
    clock.now += 60
    assert budget.remaining() == FLOOR_S


def test_the_signal_starts_the_budget_and_the_handler_already_there_still_acts() -> None:
    clock = FakeClock()
    budget = ShutdownBudget(20.0, clock)
    heard: list[int] = []

    def uvicorns(number: int, frame: FrameType | None) -> None:
        heard.append(number)

    original = signal.signal(signal.SIGTERM, uvicorns)
    try:
        budget.watch_signals()
        signal.raise_signal(signal.SIGTERM)
        assert heard == [signal.SIGTERM]
        clock.now += 15  # uvicorn spent 15 s on requests before the lifespan's shutdown began
        budget.begin()
        assert budget.remaining() == 5.0
        budget.restore_signals()
        assert signal.getsignal(signal.SIGTERM) is uvicorns
    finally:
        signal.signal(signal.SIGTERM, original)


async def test_a_stage_past_the_budget_is_cut_short_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    budget = ShutdownBudget(0.2)
    budget.begin()

    async def finishes() -> str:
        return "done"

    assert await budget.within("quick stage", finishes()) == "done"
    with caplog.at_level(logging.WARNING, logger="ticketing_runtime.shutdown"):
        started = asyncio.get_running_loop().time()
        assert await budget.within("draining consumers", asyncio.sleep(30, "late")) is None
    assert asyncio.get_running_loop().time() - started < FLOOR_S + 0.5
    assert "draining consumers did not end within" in caplog.text
