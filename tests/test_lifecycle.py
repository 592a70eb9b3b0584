"""`make down` stops every process of ours and `make up` brings the platform back (runs last)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.platform import ROOT, RUN, infra, stack
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.infra, pytest.mark.lifecycle]
PORTS = [
    *(28432, 28379, 28672, 28369, 28080, stack.SMTP_SINK_SMTP_PORT),
    *(p.port for p in stack.PROCESSES.values()),
]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_down_leaves_no_process_behind_and_up_prints_the_edge(platform: str) -> None:
    pid_files = sorted((RUN / "pids").glob("*.pid"))
    pids = {f.stem: int(f.read_text().split()[0]) for f in pid_files}
    assert {"postgres", "redis", "rabbitmq", "epmd", "nginx", *stack.PROCESSES} <= set(pids)

    subprocess.run([sys.executable, str(ROOT / "scripts" / "stack.py"), "down"], check=True)
    infra("down")

    def alive() -> dict[str, int]:
        running = {name: pid for name, pid in pids.items() if Path(f"/proc/{pid}").exists()}
        return {n: p for n, p in running.items() if "\nState:\tZ" not in _status(p)}

    # pg_ctl's wait ends when the postmaster removed its pid file, a moment before it exits
    wait_for(lambda: alive() == {}, timeout=10, what="every process gone after down")
    assert [p for p in PORTS if _listening(p)] == []

    infra("up")
    up = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "stack.py"), "up"],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert "edge: http://127.0.0.1:28080" in up.stdout
    assert httpx.get(f"{stack.EDGE_URL}/healthz", timeout=5).status_code == 200
    for process in stack.PROCESSES.values():
        assert httpx.get(f"{process.url}/readyz", timeout=5).status_code == 200


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return "\nState:\tZ"
