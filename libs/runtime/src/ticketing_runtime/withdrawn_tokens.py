"""The staff tokens an admin withdrew before they expired, kept current in every process.

Every replica of every service verifies bearer tokens itself, so each one asks the gateway for
the list every few seconds (an event would reach one replica of a service only: its consumers
compete). The list is small: a withdrawn token leaves it when it would have expired anyway.
While the gateway does not answer, a process keeps what it has for ``STALE_AFTER_READS``
intervals (at least ``STALE_AFTER_MIN_S``), then refuses staff tokens again until the next
answer (a token withdrawn meanwhile would pass for as long as the gateway stayed away). Until
its first answer, it refuses staff tokens (503, ``bearer_tokens.WithdrawalsUnknown``) and serves
customers: a new replica started on sale day while the gateway is busy takes its share of the
buyers at once.
A process asks once before it serves (``read_before_serving``, a few seconds at most) and, until
the first answer, every half second rather than every ``interval_s``: the clerk whose request
reaches a replica just started is not refused while the gateway answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from ticketing_runtime import bearer_tokens
from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)

#: how often a process that never read the list asks again
FIRST_READ_RETRY_S = 0.5
#: a list not read again for this many intervals (and at least this long) checks no token: a
#: gateway blip is ridden out, a process cut off for long stops trusting what it has
STALE_AFTER_READS = 6
STALE_AFTER_MIN_S = 30.0

#: token id -> when it expires (epoch seconds)
WithdrawnSource = Callable[[], Awaitable[Mapping[str, float]]]
PATH = "/internal/v1/withdrawn-staff-tokens"


def from_gateway(client: ServiceClient) -> WithdrawnSource:
    """The list as the gateway's internal API answers it."""

    async def fetch() -> Mapping[str, float]:
        answer = await client.request("GET", PATH)
        answer.raise_for_status()
        return {
            token["token_id"]: datetime.fromisoformat(token["expires_at"]).timestamp()
            for token in answer.json()["data"]
        }

    return fetch


async def read_before_serving(source: WithdrawnSource, within_s: float) -> None:
    """Read the list before the process serves, asking again until ``within_s`` is over (the
    gateway starting alongside); then serve anyway, refusing staff until the loop reads it."""
    if bearer_tokens.withdrawals_known():
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while True:
        try:
            bearer_tokens.withdraw_only(await asyncio.wait_for(source(), timeout=within_s))
            return
        except Exception as exc:  # the gateway starting alongside, or away
            if loop.time() + FIRST_READ_RETRY_S >= deadline:
                log.warning("serving before the withdrawn staff tokens were read: %s", exc)
                return
        await asyncio.sleep(FIRST_READ_RETRY_S)


async def keep_withdrawn_tokens(
    source: WithdrawnSource, stop: asyncio.Event, interval_s: float
) -> None:
    """Read the list every ``interval_s`` until ``stop``; while it runs, a list not read for
    ``STALE_AFTER_READS`` intervals checks no staff token (nothing else keeps it fresh)."""
    bearer_tokens.withdrawals_stale_after(max(STALE_AFTER_READS * interval_s, STALE_AFTER_MIN_S))
    try:
        await _keep_reading(source, stop, interval_s)
    finally:
        bearer_tokens.withdrawals_stale_after(None)


async def _keep_reading(source: WithdrawnSource, stop: asyncio.Event, interval_s: float) -> None:
    async def refresh() -> None:
        try:
            bearer_tokens.withdraw_only(await source())
        except ServiceUnavailable as exc:  # the gateway starting or away: no traceback
            log.warning("withdrawn staff tokens not read, keeping the last list: %s", exc)

    while not bearer_tokens.withdrawals_known() and not stop.is_set():
        try:
            await refresh()  # never read: ask again soon, not in ``interval_s``
        except Exception:
            log.exception("reading the withdrawn staff tokens failed")
        if not bearer_tokens.withdrawals_known():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=FIRST_READ_RETRY_S)
    with contextlib.suppress(TimeoutError):  # just read: the next read is due in ``interval_s``
        await asyncio.wait_for(stop.wait(), timeout=interval_s)
    if stop.is_set():
        return
    await run_periodically(refresh, stop, interval_s, "reading the withdrawn staff tokens")
