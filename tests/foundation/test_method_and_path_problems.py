"""A wrong method names every method the path takes (``Allow``), and a trailing slash is a 404
that names the path without it, never a redirect (no servers)."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI

from ticketing_runtime.asgi import BoundaryGuard
from ticketing_runtime.problems import install_problem_handlers

PROBLEM = "application/problem+json"


def app_with_a_path_split_over_routers() -> FastAPI:
    """``/v1/things`` is read on one router and written on another, as the public catalogue and
    the staff catalogue are."""
    app = FastAPI(redirect_slashes=False)
    install_problem_handlers(app)
    public, staff = APIRouter(), APIRouter()

    @public.get("/v1/things")
    async def things() -> list[str]:
        return []

    @staff.post("/v1/things")
    async def create_thing() -> dict[str, str]:
        return {}

    app.include_router(staff)
    app.include_router(public)
    return app


def client() -> httpx.AsyncClient:
    app = BoundaryGuard(app_with_a_path_split_over_routers())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")


async def test_a_wrong_method_is_405_naming_every_method_of_the_path() -> None:
    async with client() as service:
        answer = await service.delete("/v1/things")
    assert (answer.status_code, answer.headers["content-type"]) == (405, PROBLEM)
    assert answer.headers["allow"] == "GET, HEAD, POST"
    assert answer.json()["detail"] == (
        "DELETE is not allowed on /v1/things (allowed: GET, HEAD, POST)"
    )


async def test_a_trailing_slash_is_a_404_naming_the_path_without_it() -> None:
    async with client() as service:
        slashed = await service.post("/v1/things/")
        unknown = await service.get("/v1/nothing/")
    assert (slashed.status_code, slashed.headers["content-type"]) == (404, PROBLEM)
    assert "location" not in slashed.headers
    assert slashed.json()["detail"] == (
        "no resource at POST /v1/things/ (without the trailing slash: /v1/things)"
    )
    assert unknown.json()["detail"] == "no resource at GET /v1/nothing/"
