"""``/openapi.json``: the merged document (``adapters/openapi_merge.py``), kept fresh."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from ticketing_gateway.adapters.openapi_merge import MergedDocument
from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.errors import UpstreamUnavailable
from ticketing_gateway.entrypoints.problems import problem_of
from ticketing_runtime.problems import problem_response

REFRESH_S = 60.0
RETRY_S = 2.0


def serve_merged(app: FastAPI, source: MergedDocument) -> None:
    """Answer ``app.openapi_url`` from ``source`` (in place of FastAPI's own document)."""
    path = app.openapi_url or "/openapi.json"

    async def openapi_document(_: Any) -> JSONResponse:
        document = await source.document()
        if document is None:
            waiting = ", ".join(source.missing)
            refused = UpstreamUnavailable(
                "openapi-incomplete",
                f"the OpenAPI documents of {waiting} are not available yet; retry",
            )
            return problem_response(problem_of(refused), path)
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
