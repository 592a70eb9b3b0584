"""The real platform under test: infrastructure, service processes, tokens, database access."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
RUN = Path(os.environ.get("TICKETING_RUN_DIR", ROOT / ".run"))
ADMIN_DATABASE_URL = os.environ.get(
    "TICKETING_ADMIN_DATABASE_URL",
    "postgresql://ticketing_admin:ticketing_admin_dev_password@127.0.0.1:28432/ticketing",
)
AMQP_URL = os.environ.get(
    "TICKETING_AMQP_URL", "amqp://ticketing:ticketing_dev_password@127.0.0.1:28672/ticketing"
)
SERVICES = ("gateway", "inventory", "orders", "payments", "documents", "notifications")


def _load_stack() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stack", ROOT / "scripts" / "stack.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["stack"] = module
    spec.loader.exec_module(module)
    return module


stack = _load_stack()


def free_port() -> int:
    """A port nothing uses now (fixed ports in the ephemeral range collide with the outgoing
    connections of a long test run)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def infra(*args: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "infra"), *args], check=True, cwd=ROOT)


def stack_up(*names: str) -> None:
    started = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "stack.py"), "up", *names],
        capture_output=True,
        text=True,
    )
    sys.stdout.write(started.stdout)
    if started.returncode:
        # one line: pytest's summary (the tail of a CI log) shows the exception's first line only
        why = " | ".join(line.strip() for line in started.stderr.strip().splitlines()[-12:])
        raise RuntimeError(f"scripts/stack.py up {' '.join(names)} failed: {why}")


def stack_down(*names: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "stack.py"), "down", *names], check=True)


def staff_token(*roles: str, name: str = "tests") -> str:
    from ticketing_gateway.domain.tokens import mint_staff
    from ticketing_gateway.entrypoints.main import signer
    from ticketing_gateway.settings import GatewaySettings

    return mint_staff(signer(GatewaySettings()), name, set(roles), 3600).token


async def restart(name: str, env: dict[str, str] | None = None) -> None:
    """Stop one service and start it again (with ``env`` added), ready to answer."""
    async with stopped(name, env):
        pass


@contextlib.asynccontextmanager
async def stopped(name: str, env: dict[str, str] | None = None) -> AsyncIterator[None]:
    """One service stopped for the block; then started again (with ``env`` added) and ready."""
    process = stack.PROCESSES[name]
    await asyncio.to_thread(stack.stop, process)
    try:
        yield
    finally:
        stack.start(process, env)
        await asyncio.to_thread(stack.wait_ready, [process])
