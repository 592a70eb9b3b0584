"""One budget for the whole shutdown, counted from the signal.

Kubernetes kills a pod ``terminationGracePeriodSeconds`` after SIGTERM, whatever it is doing.
Shutdown has stages (uvicorn finishes in-flight requests, then the consumers finish their
messages, then the relay and the loops their batch): each given the whole grace period on its
own, three slow stages took three times the budget and the pod was killed mid-stage. Every
stage here waits only for what is left of one budget, and at least ``FLOOR_S`` (closing cleanly
when nothing is in flight is quick). What a stage cut short leaves is safe: an unacknowledged
message is delivered again, an unpublished outbox row published by the next relay.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
FLOOR_S = 1.0
_SIGNALS = (signal.SIGTERM, signal.SIGINT)
Handler = Callable[[int, FrameType | None], Any]


class ShutdownBudget:
    """``budget_s`` seconds from the first stop signal (or from ``begin()`` without one)."""

    def __init__(self, budget_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget_s = budget_s
        self._clock = clock
        self._started_at: float | None = None
        self._replaced: dict[int, Any] = {}

    def watch_signals(self) -> None:
        """Note the first SIGTERM/SIGINT, then let the handler already there (uvicorn's) act.
        Only the main thread may set handlers; elsewhere the budget starts at ``begin()``."""
        if threading.current_thread() is not threading.main_thread():
            return
        for number in _SIGNALS:
            previous = signal.getsignal(number)
            if callable(previous):
                self._replaced[number] = previous
                signal.signal(number, self._noting(previous))

    def restore_signals(self) -> None:
        for number, previous in self._replaced.items():
            signal.signal(number, previous)
        self._replaced.clear()

    def begin(self) -> None:
        """Shutdown has begun (a no-op after the signal: the budget counts from that)."""
        if self._started_at is None:
            self._started_at = self._clock()

    def remaining(self) -> float:
        """Seconds left of the budget, never less than ``FLOOR_S``."""
        if self._started_at is None:
            return self.budget_s
        left = self._started_at + self.budget_s - self._clock()
        return max(left, FLOOR_S)

    async def within(self, stage: str, work: Awaitable[T]) -> T | None:
        """``work`` given what is left of the budget; cut short (``None``) past it."""
        allowed = self.remaining()
        try:
            return await asyncio.wait_for(work, timeout=allowed)
        except TimeoutError:
            log.warning("shutdown: %s did not end within %.1f s; cut short", stage, allowed)
            return None

    def _noting(self, previous: Handler) -> Handler:
        def noted(number: int, frame: FrameType | None) -> Any:
            self.begin()
            return previous(number, frame)

        return noted
