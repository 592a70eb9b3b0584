"""What ``/readyz`` answers: a check the requests need fails → 503 (out of the load balancer);
only the broker fails → 200 ``degraded`` (events wait in the outbox), so a broker restart does
not take every replica of every service out of rotation at once."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from ticketing_runtime.health import router


async def _fine() -> None:
    return None


async def _down() -> None:
    raise ConnectionError("connection refused")


def _app(database: object, broker: object, *, stopping: bool = False) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    app.state.readiness_checks = {"database": database, "broker": broker}
    app.state.degrading_checks = frozenset({"broker"})
    app.state.stopping = stopping
    return app


async def _readyz(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get("/readyz")


@pytest.mark.parametrize(
    ("database", "broker", "stopping", "status", "word"),
    [
        (_fine, _fine, False, 200, "ready"),
        (_fine, _down, False, 200, "degraded"),
        (_down, _fine, False, 503, "not-ready"),
        (_down, _down, False, 503, "not-ready"),
        (_fine, _fine, True, 503, "not-ready"),
    ],
)
async def test_readiness_gates_on_what_requests_need_and_reports_the_rest(
    database: object, broker: object, stopping: bool, status: int, word: str
) -> None:
    answer = await _readyz(_app(database, broker, stopping=stopping))
    assert (answer.status_code, answer.json()["status"]) == (status, word)
    if broker is _down:
        assert answer.json()["checks"]["broker"].startswith("failed: ConnectionError")
    if status == 503:
        assert answer.headers["content-type"].startswith("application/problem+json")
