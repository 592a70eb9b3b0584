"""``/openapi.json`` at the gateway: complete (every service's public routes) and the same from
every worker, whatever order the services start in and whichever restarts later."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.platform import restart, stack, stopped

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"
BACKENDS = ("inventory", "orders", "payments", "documents", "notifications")
READS = 12


async def public_paths_of_services() -> set[str]:
    paths: set[str] = set()
    async with httpx.AsyncClient() as client:
        for name in BACKENDS:
            own = (await client.get(f"{stack.PROCESSES[name].url}/openapi.json")).json()
            paths |= {p for p in own["paths"] if p.startswith("/v1/")}
    return paths


async def reads(platform: str) -> list[httpx.Response]:
    """``READS`` reads, each on a new connection (the gateway's workers share its port)."""
    answers = []
    for _ in range(READS):
        async with httpx.AsyncClient(base_url=platform, timeout=15) as client:
            answers.append(await client.get("/openapi.json"))
    return answers


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True)


async def assert_complete_and_identical(platform: str, expected: set[str]) -> None:
    answers = await reads(platform)
    assert all(a.status_code == 200 for a in answers), [a.status_code for a in answers]
    documents = [a.json() for a in answers]
    for document in documents:
        assert expected <= set(document["paths"]), sorted(expected - set(document["paths"]))
        assert "/v1/sessions" in document["paths"]  # the gateway's own
    assert len({canonical(d) for d in documents}) == 1


async def test_gateway_started_first_and_a_service_restarted_after(platform: str) -> None:
    async with stopped("notifications"):
        await restart("gateway")
        answers = await reads(platform)
        # never a partial document: refused until every service has answered once
        assert {(a.status_code, a.headers["content-type"]) for a in answers} == {(503, PROBLEM)}
        assert "notifications" in answers[0].json()["detail"]
    expected = await public_paths_of_services()
    assert len(expected) > 25
    await assert_complete_and_identical(platform, expected)
    await restart("inventory")
    await assert_complete_and_identical(platform, expected)
    async with stopped("payments"):  # a service down later keeps its routes listed
        await assert_complete_and_identical(platform, expected)
