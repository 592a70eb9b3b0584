"""Alembic, once for all services: each keeps its version table in its own schema.

A service's ``migrations/env.py`` is two lines: import its metadata, call ``run_env``. Replicas
starting together serialise on an advisory lock, so a migration runs once.

Revisions are frozen: each states the tables as they stood at that revision, explicitly
(``op.create_table``, ``op.add_column`` …, never from the live ``adapters/tables.py`` nor
``create_all``), and a later change is a new revision. What revisions share is frozen the same
way: ``messaging_revision`` below and the column groups of ``ticketing_runtime.columns`` never
change shape; another shape is a new function. ``tests/migrations`` checks that head equals the
live metadata and that an upgrade keeps the rows.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from alembic import command, context
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from ticketing_runtime.outbox import messaging_metadata
from ticketing_runtime.settings import ServiceSettings

log = logging.getLogger(__name__)


def alembic_config(settings: ServiceSettings, package: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    config.attributes["schema"] = settings.database_schema
    return config


def upgrade(settings: ServiceSettings, package: str, revision: str = "head") -> None:
    """Bring the service's schema to ``revision`` (blocking: run it in a thread from async code)."""
    command.upgrade(alembic_config(settings, package), revision)


def _revisions(package: str) -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    return ScriptDirectory.from_config(config)


def release_head(package: str) -> str:
    """The last revision of the service's migrations in this release."""
    head = _revisions(package).get_current_head()
    assert head is not None, f"{package} has no migrations"
    return head


async def schema_behind(database_url: str, schema: str, package: str) -> str | None:
    """Why ``schema`` is not ready for this release's code (its migrations have not all run
    yet), or ``None``: at this release's head, or at a revision this release does not know (a
    later release migrated it, and this one runs on it while it rolls back)."""
    head = release_head(package)
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            table = await conn.scalar(
                text("SELECT to_regclass(:t)"), {"t": f"{schema}.alembic_version"}
            )
            current = None
            if table is not None:
                current = await conn.scalar(
                    text(f'SELECT version_num FROM "{schema}".alembic_version')
                )
    finally:
        await engine.dispose()
    if current is None:
        return f"schema {schema} has no migrations yet; this release needs {head}"
    if current == head:
        return None
    try:
        _revisions(package).get_revision(current)
    except CommandError:
        return None  # newer than this release
    return f"schema {schema} is at {current}; this release needs {head}"


def wait_for_schema(
    settings: ServiceSettings, package: str, *, timeout_s: float = 900.0, poll_s: float = 2.0
) -> None:
    """Block until the service's schema is ready for this release (``schema_behind``): the init
    container of every Deployment, so that pods applied together with the migrations Job (one
    GitOps apply) never serve on the old schema. Exits 1 after ``timeout_s``."""
    from ticketing_runtime.telemetry import configure_logging

    configure_logging(settings)
    url, schema = settings.database_url, settings.database_schema
    deadline, said = time.monotonic() + timeout_s, ""
    while (why := asyncio.run(schema_behind(url, schema, package))) is not None:
        if why != said:
            log.warning("waiting for the migrations Job: %s", why)
            said = why
        if time.monotonic() >= deadline:
            log.error("gave up after %.0f s: %s", timeout_s, why)
            raise SystemExit(1)
        time.sleep(poll_s)
    log.info("schema %s is ready for this release (%s)", schema, release_head(package))


def run_env(target_metadata: MetaData) -> None:
    config = context.config
    schema: str = config.attributes["schema"]
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None

    def migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table_schema=schema,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(
            url, poolclass=NullPool, connect_args={"server_settings": {"search_path": schema}}
        )
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_advisory_lock(hashtext(:s))"), {"s": schema})
            await conn.commit()
            await conn.run_sync(migrate)
            await conn.commit()
        await engine.dispose()

    asyncio.run(run())


def create_messaging_tables(connection: Connection) -> None:
    """The outbox and inbox tables from the live metadata (test harnesses, never migrations)."""
    messaging_metadata.create_all(connection)


def messaging_revision() -> tuple[Callable[[], None], Callable[[], None]]:
    """``upgrade, downgrade`` of a service's first revision: its outbox and inbox, frozen as they
    stood at that revision (a later change to ``outbox.py`` is a new revision in every service)."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql

    def upgrade_() -> None:
        op.create_table(
            "inbox",
            sa.Column("message_id", sa.Text(), nullable=False),
            sa.Column("consumer", sa.Text(), nullable=False),
            sa.Column("event_type", sa.Text(), nullable=False),
            sa.Column(
                "received_at",
                sa.DateTime(timezone=True),
                server_default=sa.text("now()"),
                nullable=False,
            ),
            sa.PrimaryKeyConstraint("message_id", "consumer"),
        )
        op.create_index("inbox_received_at", "inbox", ["received_at"], unique=False)
        op.create_table(
            "outbox",
            sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
            sa.Column("message_id", sa.Text(), nullable=False),
            sa.Column("routing_key", sa.Text(), nullable=False),
            sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
            sa.Column("body", sa.LargeBinary(), nullable=False),
            sa.Column(
                "created_at",
                sa.DateTime(timezone=True),
                server_default=sa.text("now()"),
                nullable=False,
            ),
            sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("seq"),
            sa.UniqueConstraint("message_id"),
        )
        op.create_index("outbox_published_at", "outbox", ["published_at"], unique=False)
        op.create_index(
            "outbox_unpublished",
            "outbox",
            ["seq"],
            unique=False,
            postgresql_where=sa.text("published_at IS NULL"),
        )

    def downgrade_() -> None:
        op.drop_table("outbox")
        op.drop_table("inbox")

    return upgrade_, downgrade_


def attempts_in_flight_revision() -> tuple[Callable[[], None], Callable[[], None]]:
    """``upgrade, downgrade`` of the revision that gives a service the table of its
    ``CrashGuard`` (``ticketing_runtime.due_work.attempts_in_flight``), frozen as it first stood."""
    import sqlalchemy as sa
    from alembic import op

    def upgrade_() -> None:
        op.create_table(
            "attempts_in_flight",
            sa.Column("work", sa.Text(), nullable=False, comment="the guarded table"),
            sa.Column("key", sa.Text(), nullable=False, comment="the row of that table"),
            sa.Column(
                "started", sa.Integer(), nullable=False, comment="attempts begun, none finished"
            ),
            sa.Column("last_started_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("work", "key"),
        )

    def downgrade_() -> None:
        op.drop_table("attempts_in_flight")

    return upgrade_, downgrade_


def create_index_online(
    name: str, table: str, columns: list[str], *, where: str | None = None
) -> None:
    """Build an index without locking ``table`` against writes (``CONCURRENTLY``, outside the
    revision's transaction), so that a live service keeps writing to it meanwhile. Safe to run
    again after a failure: a build cut short leaves an invalid index, dropped and built anew."""
    import sqlalchemy as sa
    from alembic import op

    with op.get_context().autocommit_block():
        valid = op.get_bind().scalar(
            sa.text("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
            {"name": name},
        )
        if valid is False:
            op.drop_index(name, table_name=table, postgresql_concurrently=True)
        op.create_index(
            name,
            table,
            columns,
            postgresql_where=sa.text(where) if where else None,
            postgresql_concurrently=True,
            if_not_exists=True,
        )
