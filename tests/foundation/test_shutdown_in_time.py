"""A service told to stop ends within its one shutdown budget, however many stages are stuck.

Kubernetes kills a pod 30 s after SIGTERM (5 s of them the preStop sleep). Each stage used to get
the whole grace period on its own: a request still running and a loop that would not stop took
twice ``TICKETING_SHUTDOWN_GRACE_S``, and the pod was killed mid-shutdown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.platform import free_port, stack
from tests.support.scripts import end_group, start_script
from tests.support.waiting import wait_for

pytestmark = pytest.mark.infra
GRACE_S = 4

# a gateway with one request that never ends and one background loop that ignores its stop
STUCK_GATEWAY = """
import asyncio

from ticketing_gateway.entrypoints.main import build_service

service = build_service()


async def stubborn_loop(stop: asyncio.Event) -> None:
    await asyncio.sleep(3600)


@service.http.get("/stuck")
async def stuck() -> None:
    print("stuck request started", flush=True)
    await asyncio.sleep(3600)


service.background.append(stubborn_loop)
service.run()
"""


def test_a_stuck_request_and_a_stuck_loop_share_one_budget_counted_from_sigterm(
    infrastructure: None, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **stack.service_env(),
        "TICKETING_HTTP_PORT": str(port),
        "TICKETING_SHUTDOWN_GRACE_S": str(GRACE_S),
    }
    process, log = start_script(STUCK_GATEWAY, tmp_path, env)
    try:
        wait_for(lambda: "ready on" in log.read_text(), timeout=60, what="the gateway ready")
        asks = f"import httpx; httpx.get('http://127.0.0.1:{port}/stuck', timeout=60)"
        pending = subprocess.Popen(  # the request in flight when the signal comes
            [sys.executable, "-c", asks], stderr=subprocess.DEVNULL, start_new_session=True
        )
        wait_for(
            lambda: "stuck request started" in log.read_text(),
            timeout=10,
            what="the stuck request in flight",
        )
        signalled = time.monotonic()
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=GRACE_S * 3)
        took = time.monotonic() - signalled
        pending.wait(timeout=10)
    finally:
        end_group(process, grace_s=0)

    # the request took the whole budget: the loop got only the floor (1 s), not another GRACE_S
    assert took < GRACE_S + 2.5, f"shutdown took {took:.1f} s of a {GRACE_S} s budget"
    text = log.read_text()
    assert "stubborn_loop did not end in time; cancelled" in text, text[-3000:]
    assert "stopped" in text
