"""Tables of the notifications schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import text

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
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_error", Text),
    Column("smtp_message_id", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('pending', 'sent', 'parked')", name="notification_status"),
    Index("notifications_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
)
