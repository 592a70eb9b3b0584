"""Services stopped (SIGTERM) or killed (SIGKILL) while events flow: nothing is lost."""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest

from tests.support.platform import stack, stack_up
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
@pytest.mark.parametrize("victim", ["orders", "gateway"])
async def test_service_stopped_while_events_flow_loses_nothing(
    platform: str, admin_headers: dict[str, str], victim: str, how: signal.Signals
) -> None:
    process = stack.PROCESSES[victim]
    log_size = process.log_file.stat().st_size
    probe_ids: list[str] = []
    async with httpx.AsyncClient(base_url=platform, timeout=10) as gateway:

        async def probe_once() -> None:
            try:
                created = await gateway.post("/v1/admin/probes", headers=admin_headers)
            except httpx.TransportError:
                return  # the gateway itself is down: the client would retry
            if created.status_code == 202:
                probe_ids.append(created.json()["probe_id"])

        for _ in range(10):
            await probe_once()
        started = time.monotonic()
        await asyncio.to_thread(stack.stop, process, 30.0, how)
        stopped_in = time.monotonic() - started
        await asyncio.to_thread(stack_up, victim)
        for _ in range(10):
            await probe_once()

        async def all_complete() -> bool:
            for probe_id in probe_ids:
                answer = await gateway.get(f"/v1/admin/probes/{probe_id}", headers=admin_headers)
                if not answer.json()["complete"]:
                    return False
            return True

        await eventually(all_complete, timeout=60, interval=0.5, what="every probe answered")
    assert len(probe_ids) >= 20
    if how == signal.SIGTERM:
        with process.log_file.open() as log:
            log.seek(log_size)
            shutdown = log.read()
        assert "draining consumers" in shutdown, shutdown[-2000:]
        assert '"stopped"' in shutdown, shutdown[-2000:]
        assert stopped_in < 25, f"graceful stop took {stopped_in:.1f} s"
