"""A local S3-compatible server for the storage tests: moto's, as a child process of the suite.

Nothing here starts the platform: these tests need no PostgreSQL, Redis or RabbitMQ.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.platform import free_port

HOST = "127.0.0.1"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=1) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a moto server on a free loopback port; stopped by its PID at the end."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    log: Path = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 30
        while not _answers(url):
            if server.poll() is not None:
                raise AssertionError(f"moto exited early:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"moto not answering on {url} after 30 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)
