"""Routes the gateway passes through to the service that owns them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.entrypoints.auth import optional_caller
from ticketing_runtime.identity import Identity
from ticketing_runtime.problems import Problem

#: path prefix → owning service (longest prefix wins)
OWNERS: dict[str, str] = {
    "/v1/venues": "inventory",
    "/v1/events": "inventory",
    "/v1/performances": "inventory",
    "/v1/holds": "inventory",
    "/v1/admin/inventory": "inventory",
}

router = APIRouter()


def owner_of(path: str) -> str | None:
    matches = [p for p in OWNERS if path == p or path.startswith(p + "/")]
    return OWNERS[max(matches, key=len)] if matches else None


async def forward(
    request: Request, identity: Annotated[Identity | None, Depends(optional_caller)]
) -> Response:
    service = owner_of(request.url.path)
    if service is None:  # e.g. /v1/venuesX: the route pattern is wider than the prefix
        raise Problem(404, "not-found", f"no resource at {request.method} {request.url.path}")
    upstreams: Upstreams = request.app.state.upstreams
    return await upstreams.forward(request, service, request.url.path, identity)


# one route per owned prefix, so that other paths keep FastAPI's own 404 / 405 answers
for _prefix in OWNERS:
    router.add_api_route(
        _prefix + "{rest:path}",
        forward,
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
