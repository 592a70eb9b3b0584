"""Simulated Stripe outages: every ``/v1`` request fails (``error``) or hangs (``timeout``)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Literal

Mode = Literal["off", "error", "timeout"]
# How long a request hangs in "timeout" mode at most before it is answered with a 500.
HANG_S = 30.0


class Outage:
    def __init__(self) -> None:
        self._mode: Mode = "off"
        self._status = 500
        self._ends_at: float | None = None
        self._changed = asyncio.Event()
        self._stopping = False

    def set(self, mode: Mode, for_s: float | None = None, status: int = 500) -> None:
        self._mode = mode
        self._status = status
        self._ends_at = time.monotonic() + for_s if (for_s is not None and mode != "off") else None
        # wake the requests hanging in "timeout" mode so they re-check
        self._changed.set()
        self._changed = asyncio.Event()

    @property
    def mode(self) -> Mode:
        if self._ends_at is not None and time.monotonic() >= self._ends_at:
            self._mode, self._ends_at = "off", None
        return self._mode

    @property
    def status(self) -> int:
        return self._status

    def describe(self) -> dict[str, Any]:
        mode = self.mode
        ends_in = None if self._ends_at is None else max(0.0, self._ends_at - time.monotonic())
        return {
            "mode": mode,
            "status": self._status if mode == "error" else None,
            "ends_in_s": None if ends_in is None else round(ends_in, 3),
        }

    def release_all(self) -> None:
        """The server is stopping: hanging requests stop hanging (and answer 500) right away."""
        self._stopping = True
        self._changed.set()

    async def hang(self, max_s: float = HANG_S) -> None:
        """Wait while the "timeout" outage lasts, at most ``max_s`` seconds."""
        deadline = time.monotonic() + max_s
        while self.mode == "timeout" and not self._stopping:
            remaining = deadline - time.monotonic()
            if self._ends_at is not None:
                remaining = min(remaining, self._ends_at - time.monotonic())
            if remaining <= 0:
                if time.monotonic() >= deadline:
                    return
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=remaining)
