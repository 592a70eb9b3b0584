from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from tests.support.platform import ADMIN_DATABASE_URL, infra, stack, stack_up, staff_token
from ticketing_runtime import bearer_tokens


@pytest.fixture(autouse=True)
def withdrawn_tokens_read() -> None:
    """The services in this process (in-process tests) have read the withdrawn staff tokens,
    none, as a running service has once the gateway answered; tests of the time before set it
    back themselves."""
    bearer_tokens.withdraw_only({})


@pytest.fixture(scope="session")
def infrastructure() -> None:
    """PostgreSQL, Redis and RabbitMQ, private instances started by ``scripts/infra``."""
    infra("up")


@pytest.fixture(scope="session")
def platform(infrastructure: None) -> str:
    """Every service running as its own process; returns the public edge's URL (nginx)."""
    stack_up()
    return str(stack.EDGE_URL)


@pytest.fixture
async def gateway(platform: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=platform, timeout=15) as client:
        yield client


@pytest.fixture(scope="session")
def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {staff_token('admin')}"}


@pytest.fixture
async def admin_db(infrastructure: None) -> AsyncIterator[asyncpg.Connection]:
    """A superuser connection for inspecting every schema (tests only)."""
    connection = await asyncpg.connect(ADMIN_DATABASE_URL)
    try:
        yield connection
    finally:
        await connection.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test gets its tier (``make test-unit|test-integration|test-platform``); tests that
    stop the whole platform run after every other test."""
    for item in items:
        item.add_marker(_tier(item))
    items.sort(key=lambda item: item.get_closest_marker("lifecycle") is not None)


# fixtures that start a real server of ours (infrastructure, the Stripe emulator, the SMTP sink,
# an S3-compatible store): a test that uses one is an integration test
SERVER_FIXTURES = frozenset({"infrastructure", "emulator", "receiver", "sink", "s3_endpoint"})


def _tier(item: pytest.Item) -> str:
    """``platform``: every service as its own process; ``integration``: real PostgreSQL, Redis
    or RabbitMQ (or a dev tool's server) with the code under test in this process; ``unit``: no
    server at all (read from the fixtures it uses)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if "platform" in fixtures or item.get_closest_marker("lifecycle"):
        return "platform"
    if (
        fixtures & SERVER_FIXTURES
        or any(item.iter_markers("infra"))
        or any(item.iter_markers("server"))
    ):
        return "integration"
    return "unit"
