"""The gateway over HTTP: sessions, problem+json errors, the OpenAPI document."""

from __future__ import annotations

import json

import httpx
import pytest

from scripts.export_openapi import DOCUMENT
from tests.support.platform import stack

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def test_session_token_is_accepted_back(gateway: httpx.AsyncClient) -> None:
    created = await gateway.post("/v1/sessions")
    assert created.status_code == 201
    body = created.json()
    me = await gateway.get("/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json() == {"kind": "customer", "subject": body["session_id"], "roles": []}


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({}, 401, "Authorization: Bearer"),
        ({"Authorization": "Bearer not-a-token"}, 401, "not valid"),
    ],
)
async def test_unauthenticated_calls_get_a_problem_document(
    gateway: httpx.AsyncClient, headers: dict[str, str], status: int, detail: str
) -> None:
    answer = await gateway.get("/v1/me", headers=headers)
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["status"] == status
    assert detail in problem["detail"]
    assert answer.headers["www-authenticate"] == 'Bearer realm="ticketing"'  # how to sign in
    assert problem["type"].startswith("https://")


async def test_unknown_route_and_wrong_method_are_problems(gateway: httpx.AsyncClient) -> None:
    missing = await gateway.get("/v1/nothing-here")
    assert (missing.status_code, missing.headers["content-type"]) == (404, PROBLEM)
    assert "/v1/nothing-here" in missing.json()["detail"]
    wrong = await gateway.delete("/v1/sessions")
    assert (wrong.status_code, wrong.headers["content-type"]) == (405, PROBLEM)
    assert wrong.headers["allow"] == "POST"


async def test_through_the_edge_head_reads_like_get_and_a_trailing_slash_is_not_redirected(
    gateway: httpx.AsyncClient,
) -> None:
    """A monitor's HEAD gets the GET's status and headers; a stray slash gets a 404 naming the
    path without it (a redirect would name the service's host, not the edge's)."""
    got = await gateway.get("/v1/events")
    head = await gateway.head("/v1/events")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    slashed = await gateway.get("/v1/events/")
    assert (slashed.status_code, slashed.headers["content-type"]) == (404, PROBLEM)
    assert "(without the trailing slash: /v1/events)" in slashed.json()["detail"]
    wrong = await gateway.delete("/v1/events")
    assert wrong.headers["allow"] == "GET, HEAD, POST"


async def test_invalid_input_names_the_field(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    answer = await gateway.get(
        "/v1/admin/services/orders/parking-lot?limit=0", headers=admin_headers
    )
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
    assert "query.limit" in answer.json()["detail"]


async def test_identity_header_from_a_client_is_not_trusted(
    gateway: httpx.AsyncClient, platform: str
) -> None:
    forged = {"X-Ticketing-Identity": "eyJhbGciOiJub25lIn0.e30."}
    answer = await gateway.get("/v1/admin/services", headers=forged)
    assert answer.status_code == 401
    async with httpx.AsyncClient() as client:
        direct = await client.get(
            f"{stack.PROCESSES['orders'].url}/v1/admin/services/orders/parking-lot",
            headers=forged,
        )
    assert direct.status_code == 401


async def test_openapi_document_describes_the_public_api(gateway: httpx.AsyncClient) -> None:
    document = (await gateway.get("/openapi.json")).json()
    assert document["info"]["title"] == "Ticketing API"
    assert "/v1/sessions" in document["paths"]
    assert "/v1/admin/probes" in document["paths"]
    assert not any(path.startswith("/admin/") for path in document["paths"])
    # the document served is the one the web client is built against (the gateway's own
    # routes were left without their problems declared, FastAPI's HTTPValidationError in)
    assert document == json.loads(DOCUMENT.read_text())


async def test_forwarded_routes_answer_bad_tokens_and_huge_bodies_with_problems(
    gateway: httpx.AsyncClient,
) -> None:
    bad_token = await gateway.post(
        "/v1/holds", headers={"Authorization": "Bearer forged.token.here"}, json={}
    )
    assert (bad_token.status_code, bad_token.headers["content-type"]) == (401, PROBLEM)
    assert "not valid" in bad_token.json()["detail"]
    huge = await gateway.post(
        "/v1/venues", content=b"x" * (8 * 1024 * 1024 + 1), headers={"Content-Type": "text/csv"}
    )
    assert (huge.status_code, huge.headers["content-type"]) == (413, PROBLEM)
    assert "at most 1048576 bytes" in huge.json()["detail"]  # not a seat file: the JSON limit
