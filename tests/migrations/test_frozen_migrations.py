"""Every service's migrations state their tables explicitly, and head equals the live metadata.

Each test migrates a scratch schema of the real PostgreSQL (as the admin role) with the service's
own Alembic revisions, then compares it with ``adapters/tables.py`` plus the runtime's outbox and
inbox: a column added to a table without a revision, or a revision that differs from the table
it claims to build, fails here.
"""

from __future__ import annotations

import asyncio
import importlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.platform import ADMIN_DATABASE_URL, SERVICES
from ticketing_runtime.outbox import messaging_metadata

pytestmark = pytest.mark.infra

ADMIN_URL = ADMIN_DATABASE_URL.replace("postgresql://", "postgresql+asyncpg://")
# the head each service's live databases are at before any revision after the freeze
LIVE_HEAD_AT_FREEZE = {
    "gateway": "0002",
    "inventory": "0003",
    "orders": "0002",
    "payments": "0002",
    "documents": "0002",
    "notifications": "0002",
}


def _config(service: str, schema: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"ticketing_{service}:migrations")
    config.set_main_option("sqlalchemy.url", ADMIN_URL)
    config.attributes["schema"] = schema
    return config


def _expected(service: str) -> MetaData:
    tables = importlib.import_module(f"ticketing_{service}.adapters.tables")
    expected = MetaData()
    for table in (*messaging_metadata.tables.values(), *tables.metadata.tables.values()):
        table.to_metadata(expected)
    return expected


def _in_schema(schema: str, work: Any) -> Any:
    """Run ``work(connection)`` on a sync connection whose search path is ``schema``."""

    async def run() -> Any:
        engine = create_async_engine(
            ADMIN_URL, connect_args={"server_settings": {"search_path": schema}}
        )
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def scratch_schema(infrastructure: None) -> Iterator[str]:
    schema = f"migrations_{uuid.uuid4().hex[:12]}"
    _in_schema("public", lambda c: c.execute(text(f'CREATE SCHEMA "{schema}"')))
    yield schema
    _in_schema("public", lambda c: c.execute(text(f'DROP SCHEMA "{schema}" CASCADE')))


def _differences(service: str, schema: str) -> list[Any]:
    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection)
        return [
            diff
            for diff in compare_metadata(context, _expected(service))
            if "alembic_version" not in repr(diff)
        ]

    result: list[Any] = _in_schema(schema, compare)
    return result


def _source_of_every_revision(service: str) -> Iterator[tuple[str, str]]:
    script = ScriptDirectory.from_config(_config(service, "unused"))
    for revision in script.walk_revisions():
        assert revision.path is not None
        with open(revision.path) as source:
            yield revision.revision, source.read()


@pytest.mark.parametrize("service", SERVICES)
def test_no_revision_builds_tables_from_the_live_metadata(service: str) -> None:
    for revision, source in _source_of_every_revision(service):
        assert "create_all" not in source, f"{service} revision {revision} calls create_all"
        assert "adapters.tables" not in source, f"{service} revision {revision} imports tables.py"


@pytest.mark.parametrize("service", SERVICES)
def test_head_equals_the_metadata(service: str, scratch_schema: str) -> None:
    command.upgrade(_config(service, scratch_schema), "head")
    assert _differences(service, scratch_schema) == []


@pytest.mark.parametrize("service", SERVICES)
def test_an_upgrade_from_the_live_head_keeps_every_row(service: str, scratch_schema: str) -> None:
    config = _config(service, scratch_schema)
    command.upgrade(config, LIVE_HEAD_AT_FREEZE[service])

    def seed(connection: Connection) -> None:
        connection.execute(
            text(
                "INSERT INTO outbox (message_id, routing_key, headers, body) "
                "VALUES ('m-1', 'tests.kept.v1', '{}', 'x')"
            )
        )
        connection.execute(
            text("INSERT INTO inbox (message_id, consumer, event_type) VALUES ('m-1', 'c', 't')")
        )

    def counts(connection: Connection) -> dict[str, int]:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
        return {
            table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
            for table in tables
            if table != "alembic_version"
        }

    _in_schema(scratch_schema, seed)
    before = _in_schema(scratch_schema, counts)
    command.upgrade(config, "head")
    after = _in_schema(scratch_schema, counts)
    assert before["outbox"] == 1
    assert {t: n for t, n in after.items() if t in before} == before
    assert _differences(service, scratch_schema) == []
