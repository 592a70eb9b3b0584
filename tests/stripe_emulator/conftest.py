"""Start the emulator as a real process and a webhook receiver for it; reset both per test."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import stripe

from tests.stripe_emulator.receiver import WebhookReceiver
from tests.support.platform import free_port
from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
WEBHOOK_SECRET = "whsec_test_suite_only"
# short delays keep the retry tests fast; the defaults are 0.5,1,2,4,8,16,32
RETRY_DELAYS = "0.1,0.2,0.3"
API_KEY = "sk_test_emulator_suite"


@dataclass
class RunningEmulator:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(HOST)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def emulator(
    receiver: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningEmulator]:
    port = free_port()
    url = f"http://{HOST}:{port}"
    log = tmp_path_factory.mktemp("stripe-emulator") / "emulator.log"
    env = {
        **os.environ,
        "STRIPE_EMULATOR_HOST": HOST,
        "STRIPE_EMULATOR_PORT": str(port),
        "STRIPE_EMULATOR_WEBHOOK_URL": receiver.url,
        "STRIPE_EMULATOR_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS_S": RETRY_DELAYS,
    }
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "stripe-emulator")],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    running = RunningEmulator(url, process, log)
    try:

        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"emulator exited early:\n{log.read_text()}")
            try:
                return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(ready, timeout=20, interval=0.1, what="the emulator's /readyz")
        yield running
    finally:
        # stop exactly the process this fixture started, by its PID
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
                raise AssertionError("the emulator ignored SIGTERM") from None
    assert process.returncode == 0, f"emulator exit code {process.returncode}:\n{log.read_text()}"


@pytest.fixture
def control(emulator: RunningEmulator) -> Iterator[httpx.Client]:
    """Plain HTTP to the emulator (its ``/_emulator`` endpoints, raw ``/v1`` requests)."""
    with httpx.Client(base_url=emulator.url, timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every emulator test starts from an empty emulator and an empty receiver."""
    if "emulator" not in request.fixturenames:
        yield
        return
    emulator: RunningEmulator = request.getfixturevalue("emulator")
    receiver: WebhookReceiver = request.getfixturevalue("receiver")
    httpx.post(f"{emulator.url}/_emulator/reset", timeout=10).raise_for_status()
    receiver.reset()
    yield
    httpx.post(f"{emulator.url}/_emulator/outage", json={"mode": "off"}, timeout=10)


@pytest.fixture
def client(emulator: RunningEmulator) -> stripe.StripeClient:
    """The official SDK pointed at the emulator; its own retries off so failures show."""
    return stripe.StripeClient(API_KEY, base_addresses={"api": emulator.url}, max_network_retries=0)
