"""The readiness check of the database, against the real PostgreSQL of ``scripts/infra``."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import text

from tests.support import runtime_harness as harness
from ticketing_runtime.database import Database, create_engine

pytestmark = pytest.mark.infra


async def test_a_pool_held_by_every_request_is_still_a_database_that_answers(
    infrastructure: None,
) -> None:
    """A busy pod on sale day: every pooled connection is taken. The probe must not queue for
    one (30 s) and fail, taking the pod out of rotation and its load to the next one."""
    await harness.prepare_schema()
    settings = harness.settings()
    database = Database(settings, create_engine(settings, pool_size=1))
    try:
        async with AsyncExitStack() as held:
            for _ in range(1 + 5):  # the pool and its overflow
                conn = await held.enter_async_context(database.engine.connect())
                await conn.execute(text("SELECT 1"))
            await asyncio.wait_for(database.ping(), timeout=2)
    finally:
        await database.dispose()


async def test_a_database_that_does_not_answer_fails_the_check(infrastructure: None) -> None:
    settings = harness.settings(database_port=1)  # nothing listens there
    database = Database(settings)
    try:
        with pytest.raises(ConnectionRefusedError):
            await database.ping()
    finally:
        await database.dispose()
