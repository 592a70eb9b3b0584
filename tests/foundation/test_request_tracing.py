"""The correlation and request ids a caller sends are passed on to other services only when they
are sane; odd bytes get a new id instead of breaking the outgoing call (no servers)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from ticketing_runtime.http_tracing import RequestTracing, outgoing_trace_headers


def app_passing_its_headers_on() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/onward")
    async def onward() -> dict[str, str]:
        # what a call to a neighbour would send: httpx refuses header values that are not ASCII
        return dict(httpx.Headers(outgoing_trace_headers()))

    return app


async def onward_headers(sent: list[tuple[bytes, bytes]]) -> dict[str, str]:
    transport = httpx.ASGITransport(app=RequestTracing(app_passing_its_headers_on()))
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as service:
        answer = await service.get("/v1/onward", headers=sent)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_sane_ids_are_passed_on_as_they_came() -> None:
    onward = await onward_headers(
        [(b"X-Correlation-Id", b"purchase-42"), (b"X-Request-Id", b"req.2026:abc")]
    )
    assert (onward["x-correlation-id"], onward["x-request-id"]) == ("purchase-42", "req.2026:abc")


@pytest.mark.parametrize("sent", [b"\xff", b"two words", b"x" * 200, b"caf\xe9"])
async def test_odd_ids_are_not_passed_on(sent: bytes) -> None:
    onward = await onward_headers([(b"X-Correlation-Id", sent), (b"X-Request-Id", sent)])
    assert uuid.UUID(onward["x-correlation-id"])  # a new one
    assert "x-request-id" not in onward
