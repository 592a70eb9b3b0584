"""The transactional outbox: events are rows written in the transaction of the state change."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import asyncpg
from opentelemetry import propagate
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts import Envelope, Event
from ticketing_runtime.correlation import current_correlation_id
from ticketing_runtime.rows import count_rows

#: Tables every service has in its own schema (unqualified: the search path picks the schema).
messaging_metadata = MetaData()

outbox = Table(
    "outbox",
    messaging_metadata,
    Column("seq", BigInteger, Identity(always=True), primary_key=True),
    Column("message_id", Text, nullable=False, unique=True),
    Column("routing_key", Text, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    Index("outbox_unpublished", "seq", postgresql_where=text("published_at IS NULL")),
    Index("outbox_published_at", "published_at"),
)

inbox = Table(
    "inbox",
    messaging_metadata,
    Column("message_id", Text, primary_key=True),
    Column("consumer", Text, primary_key=True),
    Column("event_type", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("inbox_received_at", "received_at"),
)


async def unpublished_count(session: AsyncSession) -> int:
    """Outbox rows the relay has not published yet (partial index ``outbox_unpublished``)."""
    return await count_rows(session, outbox, outbox.c.published_at.is_(None))


def outbox_channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel that wakes the relay of ``schema``."""
    return f"{schema}_outbox"


def envelope_for(event: Event, source: str, correlation_id: str | None = None) -> Envelope:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    envelope = Envelope.new(
        source=f"/ticketing/{source}",
        type=event.event_type,
        subject=event.subject(),
        dataschema=event.schema_uri(),
        correlation_id=correlation_id or current_correlation_id.get(),
    )
    return envelope.with_trace(carrier)


_INSERT_ROW = (
    "INSERT INTO outbox (message_id, routing_key, headers, body) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (message_id) DO NOTHING"
)
# a data-modifying WITH runs whether or not the SELECT reads it: the row and its NOTIFY in one
# round trip (NOTIFY is transactional: delivered at commit, once the row is visible)
_INSERT_ROW_AND_NOTIFY = (
    "WITH written AS (INSERT INTO outbox (message_id, routing_key, headers, body)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING) SELECT pg_notify($5, '')"
)


async def write_outbox_row(
    connection: asyncpg.Connection,
    event: Event,
    *,
    source: str,
    correlation_id: str | None = None,
    notify: str | None = None,
    message_id: str | None = None,
) -> str:
    """Insert ``event``'s outbox row on ``connection`` (inside its transaction); with ``notify``,
    queue a NOTIFY on that channel in the same statement. Returns the message id (``message_id``
    when given: a row of that id already there is left as it is)."""
    envelope = envelope_for(event, source, correlation_id)
    if message_id is not None:
        envelope = replace(envelope, id=message_id)
    if envelope.correlation_id is None:
        envelope = replace(envelope, correlation_id=envelope.id)
    row = (
        envelope.id,
        event.event_type,
        json.dumps(envelope.to_headers()),
        event.model_dump_json().encode(),
    )
    if notify is None:
        await connection.execute(_INSERT_ROW, *row)
    else:
        await connection.execute(_INSERT_ROW_AND_NOTIFY, *row, notify)
    return envelope.id


async def record_event(
    session: AsyncSession, event: Event, *, source: str, correlation_id: str | None = None
) -> str:
    """Record ``event`` in the outbox of ``session``'s transaction (no NOTIFY: the unit of work
    sends it); returns its message id."""
    envelope = envelope_for(event, source, correlation_id)
    if envelope.correlation_id is None:
        envelope = replace(envelope, correlation_id=envelope.id)
    await session.execute(
        insert(outbox).values(
            message_id=envelope.id,
            routing_key=event.event_type,
            headers=envelope.to_headers(),
            body=event.model_dump_json().encode(),
        )
    )
    return envelope.id


def decode_headers(raw: str | Mapping[str, Any]) -> dict[str, str]:
    """Outbox headers as stored (JSONB arrives decoded, or as text from some drivers)."""
    loaded = json.loads(raw) if isinstance(raw, str) else raw
    return {str(k): str(v) for k, v in loaded.items()}
