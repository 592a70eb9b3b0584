"""``/metrics`` ends with the state gauges read at scrape time; one that cannot be read is left
out and the rest are still served (no servers)."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
from fastapi import FastAPI

from ticketing_runtime.health import StateGauge
from ticketing_runtime.health import router as health_router


async def twelve() -> int:
    return 12


async def broken() -> int:
    raise ConnectionError("the database went away")


async def test_state_gauges_are_served_with_the_service_label_and_a_broken_one_left_out() -> None:
    app = FastAPI()
    app.include_router(health_router)
    app.state.settings = SimpleNamespace(service_name="documents")
    app.state.state_gauges = [
        StateGauge("ticketing_parked_renders", "Renders given up on", twelve),
        StateGauge("ticketing_broken_gauge", "Cannot be read", broken),
    ]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.get("/metrics")
    assert answer.status_code == 200
    lines = answer.text.splitlines()
    assert "# TYPE ticketing_parked_renders gauge" in lines
    assert 'ticketing_parked_renders{service="documents"} 12' in lines
    assert not any("ticketing_broken_gauge" in line for line in lines)
    assert any(line.startswith("# HELP python_info") for line in lines)  # the counters too
