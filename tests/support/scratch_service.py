"""One service's schema, migrated to head, in a scratch schema of the real PostgreSQL: for
integration tests that run the service's use cases in this process (no service processes)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import asyncpg
from pydantic import SecretStr
from sqlalchemy import select

from tests.support.platform import ADMIN_DATABASE_URL
from ticketing_runtime.database import Database
from ticketing_runtime.migrations import upgrade
from ticketing_runtime.outbox import outbox
from ticketing_runtime.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)


@asynccontextmanager
async def scratch_service(
    service: str, settings_type: type[S], **overrides: Any
) -> AsyncIterator[tuple[S, Database]]:
    """Settings of ``service`` pointed at a fresh schema (as the admin role), migrated by the
    service's own revisions, and its database; the schema is dropped afterwards."""
    schema = f"it_{service}_{uuid.uuid4().hex[:10]}"
    admin = urlsplit(ADMIN_DATABASE_URL)
    values: dict[str, Any] = {
        "service_name": schema,
        "database_user": admin.username,
        "database_password": SecretStr(admin.password or ""),
        "database_pool_size": 4,
        **overrides,
    }
    settings = settings_type(**values)
    await _admin(f'CREATE SCHEMA "{schema}"')
    database = Database(settings)
    try:
        await asyncio.to_thread(upgrade, settings, f"ticketing_{service}")
        yield settings, database
    finally:
        await database.dispose()
        await _admin(f'DROP SCHEMA "{schema}" CASCADE')


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_DATABASE_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def published(database: Database) -> list[tuple[str, dict[str, Any]]]:
    """Every event the use cases recorded in the outbox, oldest first: (routing key, data)."""
    query = select(outbox.c.routing_key, outbox.c.body).order_by(outbox.c.seq)
    async with database.engine.connect() as conn:
        found = (await conn.execute(query)).all()
    return [(key, _data(body)) for key, body in found]


def _data(body: Any) -> dict[str, Any]:
    envelope = json.loads(body) if isinstance(body, str | bytes) else body
    data: dict[str, Any] = envelope.get("data", envelope)
    return data
