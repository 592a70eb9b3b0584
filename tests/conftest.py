from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from tests.support.platform import ADMIN_DATABASE_URL, infra, stack, stack_up, staff_token


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
    """Tests that stop the whole platform run after every other test."""
    items.sort(key=lambda item: item.get_closest_marker("lifecycle") is not None)
