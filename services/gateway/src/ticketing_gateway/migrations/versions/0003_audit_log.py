"""The staff audit log, fed by ``audit.action.recorded.v1`` from every service."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ticketing_runtime.columns import timestamp_now

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("actor_roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("correlation_id", sa.Text(), nullable=True),
        sa.Column("order_id", sa.Text(), nullable=True),
        sa.Column("target_type", sa.Text(), nullable=True),
        sa.Column("target_id", sa.Text(), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        timestamp_now("received_at"),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    op.create_index("audit_log_by_time", "audit_log", ["occurred_at", "audit_id"])
    op.create_index("audit_log_by_order", "audit_log", ["order_id", "occurred_at"])
    op.create_index("audit_log_by_actor", "audit_log", ["actor", "occurred_at"])


def downgrade() -> None:
    op.drop_table("audit_log")
