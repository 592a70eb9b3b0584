"""Every error a service raises is problem+json with the request id, also from the raw ASGI
fast paths that skip FastAPI; control characters in paths and queries are 422 (no servers)."""

from __future__ import annotations

import uuid

import asyncpg
import httpx
import pytest
import sqlalchemy.exc
from fastapi import FastAPI, Response
from pydantic import BaseModel
from starlette.types import Receive, Scope, Send

from ticketing_runtime.asgi import BoundaryGuard
from ticketing_runtime.problems import install_problem_handlers

PROBLEM = "application/problem+json"
JSON = "application/json"


async def failing_fast_path(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("a bug in a raw ASGI layer")


def app_with_failing_route() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/v1/boom")
    async def boom() -> None:
        raise RuntimeError("a bug in a route")

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"thing_id": thing_id}

    @app.get("/v1/kept")
    async def kept() -> Response:
        return Response(b"{}", headers={"Cache-Control": "public, max-age=60"})

    return app


def client(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://service")


async def test_an_unhandled_error_in_a_fast_path_is_a_problem_with_the_request_id() -> None:
    async with client(BoundaryGuard(failing_fast_path)) as service:
        answer = await service.post("/v1/holds", headers={"X-Correlation-Id": "req-42"})
    assert (answer.status_code, answer.headers["content-type"]) == (500, PROBLEM)
    assert answer.json()["request_id"] == "req-42"
    assert answer.json()["type"].endswith("/internal-error")


@pytest.mark.parametrize("sent", ["\xff", "has spaces", "x" * 200, "a\u00e9b"])
async def test_an_odd_correlation_id_is_replaced_by_a_new_one(sent: str) -> None:
    async with client(BoundaryGuard(failing_fast_path)) as service:
        answer = await service.post(
            "/v1/holds", headers=[(b"X-Correlation-Id", sent.encode("latin-1", "replace"))]
        )
    assert answer.status_code == 500
    assert uuid.UUID(answer.json()["request_id"])  # a new id, not the caller's bytes


async def test_an_unhandled_error_in_a_route_is_a_problem_not_text_plain() -> None:
    async with client(BoundaryGuard(app_with_failing_route())) as service:
        answer = await service.get("/v1/boom")
    assert (answer.status_code, answer.headers["content-type"]) == (500, PROBLEM)
    assert answer.json()["request_id"]  # one is made when the caller sent none


def app_whose_database_is_down() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/v1/audit")
    async def audit() -> None:
        refused = asyncpg.exceptions.CannotConnectNowError("the database system is starting up")
        raise sqlalchemy.exc.DBAPIError("SELECT 1", None, refused)  # type: ignore[arg-type]

    return app


async def down(scope: Scope, receive: Receive, send: Send) -> None:
    raise ConnectionRefusedError(111, "Connection refused")


async def test_the_services_own_database_down_is_a_503_to_retry_not_a_500() -> None:
    """A failover: every database-backed route answered 500 ("our bug"), and clients did not
    retry; a raw fast path the same."""
    async with client(BoundaryGuard(app_whose_database_is_down())) as service:
        in_route = await service.get("/v1/audit")
    async with client(BoundaryGuard(down)) as service:
        in_fast_path = await service.post("/v1/holds")
    for answer in (in_route, in_fast_path):
        assert (answer.status_code, answer.headers["content-type"]) == (503, PROBLEM)
        assert answer.json()["type"].endswith("/service-unavailable")
        assert answer.headers["retry-after"] == "2"
        assert answer.json()["request_id"]


async def test_control_characters_in_the_path_or_query_are_422() -> None:
    async with client(BoundaryGuard(app_with_failing_route())) as service:
        in_path = await service.get("/v1/things/a%00b")
        in_query = await service.get("/v1/things/a", params={"q": "x\x01y"})
        tab = await service.get("/v1/things/a", params={"q": "a\tb"})
        fine = await service.get("/v1/things/a%20b", params={"q": "plain text"})
    for answer, where in ((in_path, "path"), (in_query, "query.q")):
        assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
        assert answer.json()["errors"][0]["location"] == where
    assert tab.status_code == 422  # no text in a query or path spans lines or columns
    assert (fine.status_code, fine.json()) == (200, {"thing_id": "a b"})


async def test_head_is_answered_wherever_get_is_with_the_headers_and_no_body() -> None:
    async with client(BoundaryGuard(app_with_failing_route())) as service:
        got = await service.get("/v1/things/a")
        head = await service.head("/v1/things/a")
    assert got.content
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["content-type"] == got.headers["content-type"]


async def test_no_cache_keeps_an_answer_unless_it_says_how() -> None:
    """A customer's session token, order (access token, ticket secrets, address) and PDFs came
    with no Cache-Control: a shared computer's browser, or a proxy, could keep them."""
    async with client(BoundaryGuard(app_with_failing_route())) as service:
        answers = [
            await service.get("/v1/things/a"),
            await service.get("/v1/boom"),  # a 500 problem
            await service.get("/v1/things/a%00b"),  # refused before any route
        ]
        kept = await service.get("/v1/kept")
    assert [a.headers.get_list("cache-control") for a in answers] == [["no-store"]] * 3
    assert kept.headers.get_list("cache-control") == ["public, max-age=60"]


class Link(BaseModel):
    email: str


async def test_a_body_that_is_not_json_is_told_where_it_breaks() -> None:
    """It said "body.18: JSON decode error": a path that is no field, and no reason."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/links")
    async def links(body: Link) -> dict[str, str]:
        return {"email": body.email}

    async with client(BoundaryGuard(app)) as service:
        answer = await service.post(
            "/v1/links",
            content=b'{"email": "a@b.c",}',
            headers={"content-type": "application/json"},
        )
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
    [error] = answer.json()["errors"]
    assert error["location"] == "body"
    assert error["message"] == (
        "not valid JSON: Expecting property name enclosed in double quotes at character 19"
    )
