"""Tables of the notifications schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    MetaData,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from ticketing_runtime.columns import due_index, retries, timestamp_now
from ticketing_runtime.due_work import attempts_in_flight

metadata = MetaData()

#: every e-mail we owe or sent: one per (event, template) by its unique key; the record of a send
notifications = Table(
    "notifications",
    metadata,
    Column("notification_id", Text, primary_key=True),
    Column("key", Text, nullable=False, unique=True, comment="event id:template, or a resend"),
    Column("template", Text, nullable=False),
    Column("order_id", Text, nullable=False, index=True),
    Column("facts", JSONB, nullable=False, comment="what the event said, beyond the order"),
    Column("status", Text, nullable=False),
    Column("recipient", Text),
    *retries(),
    Column("smtp_message_id", Text),
    timestamp_now("created_at"),
    Column("sent_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('pending', 'sent', 'parked')", name="notification_status"),
    due_index("notifications"),
)

#: sending attempts begun and not finished, kept by the runtime's ``CrashGuard``
attempts_in_flight.to_metadata(metadata)
