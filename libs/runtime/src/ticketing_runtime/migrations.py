"""Alembic, once for all services: each keeps its version table in its own schema.

A service's ``migrations/env.py`` is two lines: import its metadata, call ``run_env``. Replicas
starting together serialise on an advisory lock, so a migration runs once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from ticketing_runtime.outbox import messaging_metadata
from ticketing_runtime.settings import ServiceSettings


def alembic_config(settings: ServiceSettings, package: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    config.attributes["schema"] = settings.database_schema
    return config


def upgrade(settings: ServiceSettings, package: str, revision: str = "head") -> None:
    """Bring the service's schema to ``revision`` (blocking: run it in a thread from async code)."""
    command.upgrade(alembic_config(settings, package), revision)


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
    """The outbox and inbox tables (first revision of every service)."""
    messaging_metadata.create_all(connection)


def drop_messaging_tables(connection: Connection) -> None:
    messaging_metadata.drop_all(connection)


def messaging_revision() -> tuple[Callable[[], None], Callable[[], None]]:
    """``upgrade, downgrade`` of a service's first revision: its outbox and inbox."""
    from alembic import op

    def upgrade_() -> None:
        create_messaging_tables(op.get_bind())

    def downgrade_() -> None:
        drop_messaging_tables(op.get_bind())

    return upgrade_, downgrade_
