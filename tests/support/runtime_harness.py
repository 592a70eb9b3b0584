"""A throw-away service schema for exercising the runtime library against the real servers."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import datetime

import asyncpg
from pydantic import SecretStr
from sqlalchemy import func, select

from tests.support.platform import ADMIN_DATABASE_URL, AMQP_URL
from tests.support.waiting import eventually
from ticketing_contracts import Event
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.database import Database
from ticketing_runtime.migrations import create_messaging_tables
from ticketing_runtime.outbox import outbox
from ticketing_runtime.relay import OutboxRelay
from ticketing_runtime.settings import ServiceSettings

SCHEMA = "runtime_test"
PASSWORD = "runtime_test_dev_password"


class RuntimeProbeV1(Event):
    """An event only these tests publish and consume."""

    event_type = "tests.runtime.probe.v1"
    source_service = SCHEMA
    subject_field = "n"

    n: int
    sent_at: datetime | None = None


def settings(**overrides: object) -> ServiceSettings:
    values: dict[str, object] = {
        "service_name": SCHEMA,
        "database_password": SecretStr(PASSWORD),
        "amqp_url": SecretStr(AMQP_URL),
        "outbox_poll_interval_s": 0.5,
        **overrides,
    }
    return ServiceSettings(**values)  # type: ignore[arg-type]


async def prepare_schema() -> None:
    """A role and schema like a service's, with a fresh outbox and inbox."""
    admin = await asyncpg.connect(ADMIN_DATABASE_URL)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", SCHEMA)
        if not exists:
            await admin.execute(f"CREATE ROLE {SCHEMA} LOGIN PASSWORD '{PASSWORD}'")
            await admin.execute(f"GRANT CONNECT ON DATABASE ticketing TO {SCHEMA}")
        await admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        await admin.execute(f"CREATE SCHEMA {SCHEMA} AUTHORIZATION {SCHEMA}")
    finally:
        await admin.close()
    database = Database(settings())
    async with database.engine.begin() as conn:
        await conn.run_sync(create_messaging_tables)
    await database.dispose()


async def record(database: Database, events: Sequence[Event], *, commit: bool = True) -> None:
    async with database.unit_of_work() as uow:
        await uow.publish_all(events)
        if commit:
            await uow.commit()


async def unpublished(database: Database) -> int:
    async with database.engine.connect() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int((await conn.execute(query)).scalar_one())


async def run_relay_until_stopped() -> None:
    """Entry of the relay subprocess used by the kill test (reads TICKETING_CHAOS)."""
    database = Database(settings(chaos=os.environ.get("TICKETING_CHAOS")))
    publisher = ConfirmedPublisher(AMQP_URL, "runtime-test-relay")
    await publisher.connect()
    stop = asyncio.Event()
    relay = OutboxRelay(database, publisher)
    task = asyncio.create_task(relay.run(stop))
    await eventually(lambda: _all_published(database), timeout=30, what="the outbox to drain")
    stop.set()
    await task
    await publisher.close()
    await database.dispose()


async def _all_published(database: Database) -> bool:
    return await unpublished(database) == 0


if __name__ == "__main__":
    asyncio.run(run_relay_until_stopped())
    sys.exit(0)
