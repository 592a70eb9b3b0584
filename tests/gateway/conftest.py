"""The gateway's own schema, migrated to head, for its use cases tested in process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.database import Database
from ticketing_runtime.migrations import upgrade


@pytest.fixture
async def database(infrastructure: None) -> AsyncIterator[Database]:
    settings = GatewaySettings()
    await asyncio.to_thread(upgrade, settings, "ticketing_gateway")
    found = Database(settings)
    try:
        yield found
    finally:
        await found.dispose()
