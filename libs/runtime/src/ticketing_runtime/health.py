"""``/healthz`` (alive), ``/readyz`` (dependencies reachable: ``ready``, ``degraded`` or
``not-ready``) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

ReadinessCheck = Callable[[], Awaitable[object]]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateGauge:
    """A gauge read from the service's database when ``/metrics`` is scraped (what to alert
    on: work that sits, not work done). Every replica reports the same number: alert on max."""

    name: str
    help: str
    read: Callable[[], Awaitable[int]]


router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """503 (taken out of the load balancer) when a check the requests need fails, or shutting
    down; a failed check of ``app.state.degrading_checks`` (the broker: published events wait
    in the outbox) is reported as ``degraded`` with 200, so that a broker restart does not take
    every replica of every service out of service at once."""
    checks: dict[str, ReadinessCheck] = request.app.state.readiness_checks
    degrading: frozenset[str] = getattr(request.app.state, "degrading_checks", frozenset())
    results = await asyncio.gather(*(_run(check) for check in checks.values()))
    report = dict(zip(checks, results, strict=True))
    failed = {name for name, result in report.items() if result != "ok"}
    ready = not (failed - degrading) and not request.app.state.stopping
    status = 200 if ready else 503
    word = ("degraded" if failed else "ready") if ready else "not-ready"
    body: dict[str, object] = {"status": word, "checks": report}
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
async def metrics(request: Request) -> Response:
    """Every worker process's metrics, summed, when the service runs several; then the state
    gauges, read now (one that cannot be read is left out, and logged)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        counted = generate_latest(registry)
    else:
        counted = generate_latest()
    gauges: Sequence[StateGauge] = request.app.state.state_gauges
    service = request.app.state.settings.service_name
    values = await asyncio.gather(*(_gauge_value(gauge) for gauge in gauges))
    lines = [
        f'# HELP {g.name} {g.help}\n# TYPE {g.name} gauge\n{g.name}{{service="{service}"}} {v}\n'
        for g, v in zip(gauges, values, strict=True)
        if v is not None
    ]
    return Response(counted + "".join(lines).encode(), media_type=CONTENT_TYPE_LATEST)


async def _gauge_value(gauge: StateGauge) -> int | None:
    try:
        return await asyncio.wait_for(gauge.read(), timeout=2)
    except Exception as exc:
        log.warning("metrics: %s could not be read: %s: %s", gauge.name, type(exc).__name__, exc)
        return None
