from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from redis.asyncio import BlockingConnectionPool, Redis

from ticketing_gateway.domain.tokens import mint_session
from ticketing_gateway.service_layer.tokens import signer
from ticketing_gateway.settings import GatewaySettings
from ticketing_inventory.adapters.hold_store import HoldStore, hold_index_key, performance_prefix
from ticketing_inventory.adapters.sale_terms import SaleTermsCache
from ticketing_inventory.entrypoints.main import build_service
from ticketing_inventory.service_layer.container import Inventory
from ticketing_inventory.settings import InventorySettings
from ticketing_runtime.database import Database
from ticketing_runtime.migrations import upgrade
from ticketing_runtime.service import Service

REDIS_URL = "redis://127.0.0.1:28379/0"


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


# --- the inventory in this process, against the real PostgreSQL and Redis (integration tier) ---


@pytest.fixture(scope="session")
async def inventory_settings(infrastructure: None) -> InventorySettings:
    """The inventory's settings, its schema migrated to head (a no-op when it already is)."""
    settings = InventorySettings()
    await asyncio.to_thread(upgrade, settings, "ticketing_inventory")
    return settings


@pytest.fixture
async def inv(inventory_settings: InventorySettings, redis: Redis) -> AsyncIterator[Inventory]:
    """The container the use cases take, over the real servers (no placement limit)."""
    database = Database(inventory_settings)
    try:
        yield Inventory(database, HoldStore(redis), SaleTermsCache(redis, database))
    finally:
        await database.dispose()


@contextlib.asynccontextmanager
async def inventory_in_process(settings: InventorySettings) -> AsyncIterator[Service]:
    """The inventory's HTTP app in this process (its routes, fast path and problem table),
    without its lifespan: no consumers, relay or sweeper."""
    service = build_service(settings)
    try:
        yield service
    finally:
        for hook in service.shutdown_hooks:
            await hook()
        await service.database.dispose()


@pytest.fixture
async def inventory_app(inventory_settings: InventorySettings) -> AsyncIterator[Service]:
    async with inventory_in_process(inventory_settings) as service:
        yield service


def customer_headers() -> dict[str, str]:
    """A new customer session's bearer token, signed with the dev key as the gateway would."""
    issued = mint_session(signer(GatewaySettings()), 3600)
    return {"Authorization": f"Bearer {issued.token}"}
