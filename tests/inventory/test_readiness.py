"""The inventory's readiness check of Redis, against the real Redis of ``scripts/infra``."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from ticketing_runtime.service import Service

pytestmark = pytest.mark.infra


async def test_a_redis_pool_every_hold_holds_is_still_a_redis_that_answers(
    inventory_app: Service,
) -> None:
    """On sale day every pooled connection may be busy with holds: a probe that queued for one
    (5 s) failed on every replica at once, and the edge lost all of them."""
    holds_redis: Redis = inventory_app.http.state.inventory.holds._redis
    pool = holds_redis.connection_pool
    taken = [await pool.get_connection() for _ in range(pool.max_connections)]  # type: ignore[no-untyped-call]
    try:
        await asyncio.wait_for(inventory_app.readiness["redis"](), timeout=2)
    finally:
        for connection in taken:
            await pool.release(connection)
