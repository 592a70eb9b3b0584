"""One OpenAPI document: the gateway's own routes plus the public routes of every service.

Every worker answers the same complete document whatever the order services start in: the
document of each service is kept once fetched (a service that restarts or is briefly down keeps
its routes listed), fetched again when a read finds it older than a few seconds, and while a
service has never answered the document is refused (503) rather than served partial.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.settings import BACKENDS
from ticketing_runtime.problems import Problem, problem_response

log = logging.getLogger(__name__)
REFRESH_S = 60.0
RETRY_S = 2.0
#: a read of the document older than this fetches the services' documents again first, so
#: every worker answers a service's new routes within seconds of its restart
FRESH_S = 5.0


def merged(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    document = {**own, "paths": dict(own.get("paths", {}))}
    schemas = dict(own.get("components", {}).get("schemas", {}))
    for name, spec in services.items():
        for path, operations in spec.get("paths", {}).items():
            if path.startswith("/v1/") and path not in document["paths"]:
                document["paths"][path] = {
                    method: {**op, "tags": op.get("tags") or [name]}
                    for method, op in operations.items()
                }
        schemas.update(spec.get("components", {}).get("schemas", {}))
    document.setdefault("components", {})["schemas"] = dict(sorted(schemas.items()))
    document["paths"] = dict(sorted(document["paths"].items()))
    return document


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

    async def refresh(self, services: tuple[str, ...] | list[str] = BACKENDS) -> None:
        """Fetch ``services`` again; one that does not answer keeps its last document."""
        async with self._lock:
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
            await self.refresh()
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


def serve_merged(app: FastAPI, source: MergedDocument) -> None:
    """Answer ``app.openapi_url`` from ``source`` (in place of FastAPI's own document)."""
    path = app.openapi_url or "/openapi.json"

    async def openapi_document(_: Any) -> JSONResponse:
        document = await source.document()
        if document is None:
            waiting = ", ".join(source.missing)
            refused = Problem(
                503,
                "openapi-incomplete",
                f"the OpenAPI documents of {waiting} are not available yet; retry",
            )
            return problem_response(refused, path)
        app.openapi_schema = document  # /docs and app.openapi() show the same
        return JSONResponse(document)

    kept: list[BaseRoute] = [r for r in app.router.routes if getattr(r, "path", None) != path]
    app.router.routes = [Route(path, openapi_document, include_in_schema=False), *kept]


async def keep_merged(
    app: FastAPI, upstreams: Upstreams, own: Callable[[], dict[str, Any]], stop: asyncio.Event
) -> None:
    """Serve the merged document and refresh it every minute (a service that changed its routes
    shows them after its restart), every two seconds while a service has never answered."""
    source = MergedDocument(upstreams, own)
    serve_merged(app, source)
    while not stop.is_set():
        await source.refresh()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=RETRY_S if source.missing else REFRESH_S)
