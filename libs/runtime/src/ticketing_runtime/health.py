"""``/healthz`` (alive), ``/readyz`` (dependencies reachable) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

ReadinessCheck = Callable[[], Awaitable[object]]

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    checks: dict[str, ReadinessCheck] = request.app.state.readiness_checks
    results = await asyncio.gather(*(_run(check) for check in checks.values()))
    report = dict(zip(checks, results, strict=True))
    ready = all(result == "ok" for result in results) and not request.app.state.stopping
    status = 200 if ready else 503
    body: dict[str, object] = {"status": "ready" if ready else "not-ready", "checks": report}
    if not ready:
        body |= {
            "type": "https://docs.ticketing.example/problems/not-ready",
            "title": "Service Unavailable",
            "detail": "; ".join(f"{k}: {v}" for k, v in report.items() if v != "ok")
            or "shutting down",
        }
    media = "application/json" if ready else "application/problem+json"
    return JSONResponse(body, status_code=status, media_type=media)


async def _run(check: ReadinessCheck) -> str:
    try:
        await asyncio.wait_for(check(), timeout=2)
    except Exception as exc:
        return f"failed: {type(exc).__name__}: {exc}"[:300]
    return "ok"


@router.get("/metrics")
async def metrics() -> Response:
    """Every worker process's metrics, summed, when the service runs several."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
