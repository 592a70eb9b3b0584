"""The services' OpenAPI documents as last fetched, merged with the gateway's own
(``domain/openapi.py``); ``entrypoints/http_openapi.py`` serves the result.

Every worker answers the same complete document whatever the order services start in: the
document of each service is kept once fetched (a service that restarts or is briefly down keeps
its routes listed), fetched again when a read finds it older than a few seconds, and while a
service has never answered the document is refused (503) rather than served partial.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.openapi import merged
from ticketing_gateway.settings import BACKENDS

__all__ = ["FRESH_S", "MergedDocument", "merged"]

log = logging.getLogger(__name__)
#: a read of the document older than this fetches the services' documents again first, so
#: every worker answers a service's new routes within seconds of its restart
FRESH_S = 5.0


class MergedDocument:
    """The services' documents as last fetched, merged with the gateway's own."""

    def __init__(self, upstreams: Upstreams, own: Callable[[], dict[str, Any]]) -> None:
        self._upstreams = upstreams
        self._own = own
        self._fetched: dict[str, dict[str, Any]] = {}
        self._lock = asyncio.Lock()
        self._refreshed_at = float("-inf")

    @property
    def missing(self) -> list[str]:
        return [s for s in BACKENDS if s not in self._fetched]

    async def refresh(
        self, services: tuple[str, ...] | list[str] = BACKENDS, *, if_stale: bool = False
    ) -> None:
        """Fetch ``services`` again; one that does not answer keeps its last document.
        ``if_stale``: not if a request that waited for the lock before found it fresh (many
        requests at once on a stale document made one refresh each, one after another, each
        waiting out a service that did not answer)."""
        async with self._lock:
            if if_stale and time.monotonic() - self._refreshed_at <= FRESH_S:
                return
            answers = await asyncio.gather(*(self._fetch(s) for s in services))
            for service, document in zip(services, answers, strict=True):
                if document is not None:
                    self._fetched[service] = document
            if list(services) == list(BACKENDS):
                self._refreshed_at = time.monotonic()

    async def document(self) -> dict[str, Any] | None:
        """The complete document, fetching services never fetched yet; ``None`` if one of them
        still does not answer."""
        if time.monotonic() - self._refreshed_at > FRESH_S:
            await self.refresh(if_stale=True)
        elif self.missing:
            await self.refresh(self.missing)
        if self.missing:
            return None
        return merged(self._own(), {s: self._fetched[s] for s in BACKENDS})

    async def _fetch(self, service: str) -> dict[str, Any] | None:
        try:
            answer = await self._upstreams.call(service, "GET", "/openapi.json")
            if answer.status_code != 200:
                raise ValueError(f"status {answer.status_code}")
            document: dict[str, Any] = answer.json()
            return document
        except Exception as exc:
            log.info("OpenAPI of %s not available now: %s", service, exc)
            return None
