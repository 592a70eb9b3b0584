"""Notifications: what we owe and what we sent."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from ticketing_runtime.columns import due_index, retries, timestamp_now

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("notification_id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False, comment="event id:template, or a resend"),
        sa.Column("template", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column(
            "facts",
            postgresql.JSONB(astext_type=Text()),
            nullable=False,
            comment="what the event said, beyond the order",
        ),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=True),
        *retries(),
        sa.Column("smtp_message_id", sa.Text(), nullable=True),
        timestamp_now("created_at"),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'parked')", name="notification_status"),
        sa.PrimaryKeyConstraint("notification_id"),
        sa.UniqueConstraint("key"),
        due_index("notifications"),
    )
    op.create_index(op.f("ix_notifications_order_id"), "notifications", ["order_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_notifications_order_id"), table_name="notifications")
    op.drop_table("notifications")
