"""The staff tokens an admin withdrew before they expired, kept current in every process.

Every replica of every service verifies bearer tokens itself, so each one asks the gateway for
the list every few seconds (an event would reach one replica of a service only: its consumers
compete). The list is small: a withdrawn token leaves it when it would have expired anyway.
While the gateway does not answer, a process keeps what it has; until its first answer, it
refuses staff tokens (503, ``bearer_tokens.WithdrawalsUnknown``) and serves customers: a new
replica started on sale day while the gateway is busy takes its share of the buyers at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from ticketing_runtime import bearer_tokens
from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)

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


async def keep_withdrawn_tokens(
    source: WithdrawnSource, stop: asyncio.Event, interval_s: float
) -> None:
    async def refresh() -> None:
        try:
            bearer_tokens.withdraw_only(await source())
        except ServiceUnavailable as exc:  # the gateway starting or away: no traceback
            log.warning("withdrawn staff tokens not read, keeping the last list: %s", exc)

    await run_periodically(refresh, stop, interval_s, "reading the withdrawn staff tokens")
