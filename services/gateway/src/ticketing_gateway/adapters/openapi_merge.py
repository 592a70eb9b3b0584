"""One OpenAPI document: the gateway's own routes plus the public routes of every service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.settings import BACKENDS

log = logging.getLogger(__name__)


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
    document.setdefault("components", {})["schemas"] = schemas
    return document


async def keep_merged(
    app: FastAPI, upstreams: Upstreams, own: Callable[[], dict[str, Any]], stop: asyncio.Event
) -> None:
    """Refresh the merged document every minute (services may start after the gateway)."""
    while not stop.is_set():
        documents: dict[str, dict[str, Any]] = {}
        for service in BACKENDS:
            try:
                answer = await upstreams.call(service, "GET", "/openapi.json")
                documents[service] = answer.json()
            except Exception:
                log.info("OpenAPI of %s not available yet", service)
        app.openapi_schema = merged(own(), documents)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                stop.wait(), timeout=60 if len(documents) == len(BACKENDS) else 2
            )
