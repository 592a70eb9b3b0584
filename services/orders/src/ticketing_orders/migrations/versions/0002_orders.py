"""Orders, their lines and tickets."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from ticketing_runtime.columns import created_and_updated, money, timestamp_now

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "coupons",
        sa.Column("coupon_id", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False, comment="upper case"),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("percent_off", sa.Integer(), nullable=True),
        *money("amount_off", nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("max_uses_per_email", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tier_ids", postgresql.ARRAY(Text()), server_default="{}", nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("uses", sa.Integer(), server_default="0", nullable=False),
        *created_and_updated(),
        sa.CheckConstraint(
            "(kind = 'percent' AND percent_off BETWEEN 1 AND 100 AND amount_off IS NULL) OR "
            "(kind = 'fixed' AND amount_off > 0 AND currency IS NOT NULL AND percent_off IS NULL)",
            name="coupon_amount",
        ),
        sa.CheckConstraint("kind IN ('percent', 'fixed')", name="coupon_kind"),
        sa.CheckConstraint("max_uses IS NULL OR uses <= max_uses", name="coupon_max_uses"),
        sa.CheckConstraint("uses >= 0", name="coupon_uses_not_negative"),
        sa.PrimaryKeyConstraint("coupon_id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "orders",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("order_number", sa.Text(), nullable=False),
        sa.Column("access_token_digest", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.Text(), nullable=False),
        sa.Column("request_fingerprint", sa.Text(), nullable=False),
        sa.Column("hold_id", sa.Text(), nullable=False),
        sa.Column("performance_id", sa.Text(), nullable=True),
        sa.Column("event_name", sa.Text(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_zone", sa.Text(), nullable=True),
        sa.Column("venue_name", sa.Text(), nullable=True),
        sa.Column("venue_address", sa.Text(), nullable=True),
        sa.Column("customer_name", sa.Text(), nullable=False),
        sa.Column("customer_email", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("gross_amount", sa.Integer(), nullable=True, comment="before the coupon"),
        sa.Column("discount_amount", sa.Integer(), server_default="0", nullable=False),
        sa.Column("coupon_code", sa.Text(), nullable=True),
        *money("total_amount", nullable=True),
        sa.Column("payment_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("payment_intent_id", sa.Text(), nullable=True),
        sa.Column("client_secret", sa.Text(), nullable=True),
        sa.Column("payment_status", sa.Text(), server_default="creating", nullable=False),
        sa.Column("payment_error", sa.Text(), nullable=True),
        sa.Column(
            "placed_response",
            postgresql.JSONB(astext_type=Text()),
            nullable=True,
            comment="the first answer, replayed for the same key",
        ),
        timestamp_now("created_at"),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("order_id"),
        sa.UniqueConstraint("order_number"),
        sa.UniqueConstraint("session_id", "idempotency_key", name="one_order_per_idempotency_key"),
    )
    op.create_index(
        "one_live_order_per_hold",
        "orders",
        ["hold_id"],
        unique=True,
        postgresql_where="status IN ('placing', 'pending_payment', 'paid')",
    )
    op.create_index(
        "orders_due_to_expire",
        "orders",
        ["payment_deadline"],
        unique=False,
        postgresql_where="status = 'pending_payment'",
    )
    op.create_table(
        "coupon_uses",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("coupon_id", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False, comment="lower case"),
        sa.Column("status", sa.Text(), nullable=False),
        *created_and_updated(),
        sa.CheckConstraint(
            "status IN ('reserved', 'redeemed', 'released')", name="coupon_use_status"
        ),
        sa.ForeignKeyConstraint(
            ["coupon_id"],
            ["coupons.coupon_id"],
        ),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_index("coupon_uses_by_email", "coupon_uses", ["coupon_id", "email"], unique=False)
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("tier_id", sa.Text(), nullable=False),
        sa.Column("tier_name", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("seat_ids", postgresql.ARRAY(Text()), nullable=False),
        sa.Column(
            "seats",
            postgresql.JSONB(astext_type=Text()),
            server_default="[]",
            nullable=False,
            comment="labels as printed",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
        ),
        sa.PrimaryKeyConstraint("order_id", "line_no"),
    )
    op.create_table(
        "refunds",
        sa.Column("refund_id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        *money(),
        sa.Column("ticket_ids", postgresql.ARRAY(Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("automatic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.Text(), nullable=True),
        sa.Column("stripe_refund_id", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        *created_and_updated(),
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="refund_status"),
        sa.CheckConstraint("amount >= 0", name="refund_amount"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
        ),
        sa.PrimaryKeyConstraint("refund_id"),
        sa.UniqueConstraint("order_id", "idempotency_key", name="one_refund_per_idempotency_key"),
    )
    op.create_index(op.f("ix_refunds_order_id"), "refunds", ["order_id"], unique=False)
    op.create_table(
        "tickets",
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("ticket_number", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("tier_id", sa.Text(), nullable=False),
        sa.Column("seat_id", sa.Text(), nullable=True),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("status", sa.Text(), server_default="valid", nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.Text(), nullable=True),
        timestamp_now("issued_at"),
        sa.CheckConstraint("status <> 'used' OR used_at IS NOT NULL", name="used_has_used_at"),
        sa.CheckConstraint(
            "status IN ('valid', 'used', 'refunded', 'voided')", name="ticket_status"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.order_id"],
        ),
        sa.PrimaryKeyConstraint("ticket_id"),
        sa.UniqueConstraint("ticket_number"),
    )
    op.create_index(op.f("ix_tickets_order_id"), "tickets", ["order_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_tickets_order_id"), table_name="tickets")
    op.drop_table("tickets")
    op.drop_index(op.f("ix_refunds_order_id"), table_name="refunds")
    op.drop_table("refunds")
    op.drop_table("order_lines")
    op.drop_index("coupon_uses_by_email", table_name="coupon_uses")
    op.drop_table("coupon_uses")
    op.drop_index(
        "orders_due_to_expire", table_name="orders", postgresql_where="status = 'pending_payment'"
    )
    op.drop_index(
        "one_live_order_per_hold",
        table_name="orders",
        postgresql_where="status IN ('placing', 'pending_payment', 'paid')",
    )
    op.drop_table("orders")
    op.drop_table("coupons")
