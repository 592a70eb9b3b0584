"""Background work that runs every few seconds until the service stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def run_periodically(
    step: Callable[[], Awaitable[object]], stop: asyncio.Event, interval_s: float, what: str
) -> None:
    """Call ``step`` every ``interval_s`` until ``stop``; a failing step is logged and retried
    at the next tick (it never ends the loop)."""
    while not stop.is_set():
        try:
            await step()
        except Exception:
            log.warning("%s failed; will retry", what, exc_info=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
