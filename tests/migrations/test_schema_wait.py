"""A pod applied together with the migrations Job (one GitOps apply) waits in its init container
until its schema is at this release's head, and never waits for a schema a later release
migrated (a rollback runs on it): against the real PostgreSQL, with the services' revisions."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.migrations.test_frozen_migrations import ADMIN_URL, _config
from ticketing_runtime.migrations import release_head, schema_behind

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]
SERVICE, PACKAGE = "notifications", "ticketing_notifications"


async def admin(statement: str) -> None:
    engine = create_async_engine(ADMIN_URL)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
async def schema(infrastructure: None) -> AsyncIterator[str]:
    name = f"wait_{uuid.uuid4().hex[:12]}"
    await admin(f'CREATE SCHEMA "{name}"')
    yield name
    await admin(f'DROP SCHEMA "{name}" CASCADE')


async def migrate(schema: str, revision: str) -> None:
    await asyncio.to_thread(command.upgrade, _config(SERVICE, schema), revision)


async def test_a_schema_never_migrated_or_behind_is_not_ready_until_it_reaches_head(
    schema: str,
) -> None:
    head = release_head(PACKAGE)
    assert head == "0003"

    empty = await schema_behind(ADMIN_URL, schema, PACKAGE)
    assert empty == f"schema {schema} has no migrations yet; this release needs 0003"
    await migrate(schema, "0002")
    behind = await schema_behind(ADMIN_URL, schema, PACKAGE)
    assert behind == f"schema {schema} is at 0002; this release needs 0003"
    await migrate(schema, "head")
    assert await schema_behind(ADMIN_URL, schema, PACKAGE) is None


async def test_a_schema_a_later_release_migrated_is_ready_for_this_one(schema: str) -> None:
    await migrate(schema, "head")
    await admin(f"UPDATE \"{schema}\".alembic_version SET version_num = '0099'")

    assert await schema_behind(ADMIN_URL, schema, PACKAGE) is None


def wait_command(schema: str, timeout_s: float) -> tuple[list[str], dict[str, str]]:
    """The init container's program and environment, its schema ``schema`` (as the admin)."""
    program = (
        "from ticketing_runtime.migrations import wait_for_schema; "
        "from ticketing_notifications.settings import NotificationsSettings; "
        f"wait_for_schema(NotificationsSettings(), '{PACKAGE}', timeout_s={timeout_s}, poll_s=0.2)"
    )
    user, password = ADMIN_URL.split("//", 1)[1].split("@", 1)[0].split(":", 1)
    environment = {
        **os.environ,
        "TICKETING_SERVICE_NAME": schema,  # the schema is the service's name
        "TICKETING_DATABASE_USER": user,
        "TICKETING_DATABASE_PASSWORD": password,
    }
    return [sys.executable, "-c", program], environment


async def test_the_init_container_waits_for_the_migrations_then_lets_the_pod_start(
    schema: str,
) -> None:
    await migrate(schema, "0002")
    command_line, environment = wait_command(schema, timeout_s=60)
    waiting = await asyncio.create_subprocess_exec(
        *command_line,
        cwd=ROOT,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert waiting.stdout is not None
    said = (await asyncio.wait_for(waiting.stdout.readline(), timeout=30)).decode()
    assert "waiting for the migrations Job" in said
    assert "is at 0002; this release needs 0003" in said
    assert waiting.returncode is None, "still waiting while the schema is behind"

    await migrate(schema, "head")  # the Job runs

    assert await asyncio.wait_for(waiting.wait(), timeout=30) == 0


def test_the_init_container_gives_up_after_its_timeout(schema: str) -> None:
    command_line, environment = wait_command(schema, timeout_s=0.5)
    finished = subprocess.run(
        command_line, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )

    assert finished.returncode == 1
    assert "gave up after" in finished.stdout + finished.stderr
