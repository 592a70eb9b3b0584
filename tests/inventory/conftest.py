from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from redis.asyncio import BlockingConnectionPool, Redis

from ticketing_inventory.adapters.hold_store import HoldStore, hold_index_key, performance_prefix

REDIS_URL = "redis://127.0.0.1:56379/0"


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    """The real Redis of ``scripts/infra``: if it is down, the test fails.

    A blocking pool: hundreds of concurrent calls queue for a connection instead of failing.
    """
    pool: BlockingConnectionPool = BlockingConnectionPool.from_url(
        REDIS_URL, decode_responses=True, max_connections=64
    )
    client: Redis = Redis(connection_pool=pool, decode_responses=True)
    try:
        await client.ping()
        yield client
    finally:
        await pool.disconnect()


@dataclass
class Show:
    """One random performance in the shared Redis; ``hold_id()`` names holds it can clean up."""

    store: HoldStore
    performance_id: str = field(default_factory=lambda: f"perf_{secrets.token_hex(8)}")
    _holds: int = 0

    def hold_id(self) -> str:
        self._holds += 1
        return f"hld_{self.performance_id}_{self._holds}"


@pytest.fixture
async def show(redis: Redis) -> AsyncIterator[Show]:
    created = Show(HoldStore(redis))
    try:
        yield created
    finally:
        await forget_performance(redis, created.performance_id)
        await redis.srem("inv:performances", created.performance_id)
        index_keys = [
            hold_index_key(f"hld_{created.performance_id}_{n}")
            for n in range(1, 1 + created._holds)
        ]
        for first in range(0, len(index_keys), 500):
            await redis.delete(*index_keys[first : first + 500])


async def forget_performance(redis: Redis, performance_id: str) -> None:
    """Delete only this performance's keys (what a lost Redis would have lost)."""
    keys = [key async for key in redis.scan_iter(match=performance_prefix(performance_id) + "*")]
    if keys:
        await redis.delete(*keys)
