"""Run the SMTP sink dev tool as a real process on free ports, and stop exactly that process."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.platform import free_port

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


@dataclass
class RunningSink:
    process: subprocess.Popen[bytes]
    smtp_port: int
    http_port: int
    mail_dir: Path
    log: Path

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    async def messages(
        self, to: str | None = None, after: str | None = None
    ) -> list[dict[str, Any]]:
        params = {k: v for k, v in (("to", to), ("after", after)) if v}
        async with self.api() as api:
            answer = await api.get("/messages", params=params)
        answer.raise_for_status()
        messages: list[dict[str, Any]] = answer.json()["messages"]
        return messages

    async def raw(self, message_id: str) -> bytes:
        async with self.api() as api:
            answer = await api.get(f"/messages/{message_id}")
        answer.raise_for_status()
        return answer.content

    async def clear(self) -> None:
        async with self.api() as api:
            (await api.delete("/messages")).raise_for_status()

    def api(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.api_url, timeout=10)

    def stop(self, timeout_s: float = 10.0) -> int:
        """SIGTERM to our PID; returns the exit status (SIGKILL and fail if it hangs)."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
                raise AssertionError("the SMTP sink ignored SIGTERM") from None
        return self.process.returncode


def start_sink(
    mail_dir: Path,
    log: Path,
    *,
    smtp_port: int | None = None,
    http_port: int | None = None,
    deadline_s: float = 20.0,
) -> RunningSink:
    """Start ``smtp-sink`` and return once its API (started after SMTP) answers ``/readyz``."""
    env = {
        **os.environ,
        "SMTP_SINK_HOST": HOST,
        "SMTP_SINK_PORT": str(smtp_port or free_port()),
        "SMTP_SINK_HTTP_PORT": str(http_port or free_port()),
        "SMTP_SINK_DIR": str(mail_dir),
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "smtp-sink")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    sink = RunningSink(
        process, int(env["SMTP_SINK_PORT"]), int(env["SMTP_SINK_HTTP_PORT"]), mail_dir, log
    )
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"smtp-sink exited with {process.returncode} during start-up:\n{log.read_text()}"
            )
        try:
            if httpx.get(f"{sink.api_url}/readyz", timeout=1).status_code == 200:
                return sink
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    sink.stop()
    raise AssertionError(f"smtp-sink not ready after {deadline_s:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSink]:
    """One SMTP sink process for a test module (conftests import this fixture)."""
    folder = tmp_path_factory.mktemp("smtp-sink")
    running = start_sink(folder / "mail", folder / "sink.log")
    try:
        yield running
    finally:
        assert running.stop() == 0, running.log.read_text()
