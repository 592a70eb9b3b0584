"""Payment intents and received Stripe events."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from ticketing_runtime.columns import created_and_updated, money, retries, timestamp_now

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "payment_intents",
        sa.Column("order_id", sa.Text(), nullable=False),
        *money(),
        sa.Column("customer_email", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("stripe_intent_id", sa.Text(), nullable=True),
        sa.Column("client_secret", sa.Text(), nullable=True),
        *retries(),
        *created_and_updated(),
        sa.PrimaryKeyConstraint("order_id"),
        sa.UniqueConstraint("stripe_intent_id"),
    )
    op.create_table(
        "payment_refunds",
        sa.Column("refund_id", sa.Text(), nullable=False, comment="the orders service's refund id"),
        sa.Column("order_id", sa.Text(), nullable=False),
        *money(),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("stripe_refund_id", sa.Text(), nullable=True),
        *retries(),
        *created_and_updated(),
        sa.PrimaryKeyConstraint("refund_id"),
        sa.UniqueConstraint("stripe_refund_id"),
    )
    op.create_index(
        op.f("ix_payment_refunds_order_id"), "payment_refunds", ["order_id"], unique=False
    )
    op.create_table(
        "stripe_events",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=Text()), nullable=False),
        timestamp_now("received_at"),
        sa.Column("source", sa.Text(), server_default="webhook", nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )


def downgrade() -> None:
    op.drop_table("stripe_events")
    op.drop_index(op.f("ix_payment_refunds_order_id"), table_name="payment_refunds")
    op.drop_table("payment_refunds")
    op.drop_table("payment_intents")
