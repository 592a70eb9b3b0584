"""Tables of the documents schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    text,
)

from ticketing_runtime.columns import due_index, retries, timestamp_now
from ticketing_runtime.due_work import attempts_in_flight

metadata = MetaData()

#: one row per order: the version to render, retried with growing delay, parked after the limit
render_jobs = Table(
    "render_jobs",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("status", Text, nullable=False),
    *retries(),
    timestamp_now("requested_at"),
    Column("rendered_at", DateTime(timezone=True)),
    Column("render_ms", Integer),
    CheckConstraint("status IN ('pending', 'done', 'parked')", name="render_job_status"),
    due_index("render_jobs"),
)

#: every stored PDF; the current one of an order (ticket_id NULL) or a ticket has superseded_at NULL
documents = Table(
    "documents",
    metadata,
    Column("document_id", Text, primary_key=True),
    Column("order_id", Text, nullable=False),
    Column("ticket_id", Text),
    Column("version", Integer, nullable=False),
    Column("storage_key", Text, nullable=False, unique=True),
    Column("size_bytes", Integer, nullable=False),
    timestamp_now("created_at"),
    Column("superseded_at", DateTime(timezone=True)),
    Index(
        "one_current_document",
        "order_id",
        text("coalesce(ticket_id, '')"),
        unique=True,
        postgresql_where=text("superseded_at IS NULL"),
    ),
)

#: render attempts begun and not finished, kept by the runtime's ``CrashGuard``
attempts_in_flight.to_metadata(metadata)
