"""Catalogue, seat inventory, sales and pinned holds."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from ticketing_runtime.columns import money, timestamp_now

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("time_zone", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("refund_returns_capacity", sa.Boolean(), server_default="true", nullable=False),
        timestamp_now("created_at"),
        sa.CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="event_status"),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "venues",
        sa.Column("venue_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("time_zone", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        timestamp_now("created_at"),
        sa.PrimaryKeyConstraint("venue_id"),
    )
    op.create_table(
        "performances",
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("venue_id", sa.Text(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sales_open_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sales_close_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="scheduled", nullable=False),
        sa.Column("hold_ttl_s", sa.Integer(), server_default="600", nullable=False),
        sa.Column("max_per_order", sa.Integer(), server_default="10", nullable=False),
        timestamp_now("created_at"),
        sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name="performance_status"),
        sa.CheckConstraint("ends_at > starts_at", name="performance_ends_after_start"),
        sa.CheckConstraint("hold_ttl_s BETWEEN 2 AND 3600", name="performance_hold_ttl"),
        sa.CheckConstraint("max_per_order BETWEEN 1 AND 100", name="performance_max_per_order"),
        sa.CheckConstraint("sales_close_at > sales_open_at", name="performance_sales_window"),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.event_id"],
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.venue_id"],
        ),
        sa.PrimaryKeyConstraint("performance_id"),
    )
    op.create_table(
        "sections",
        sa.Column("section_id", sa.Text(), nullable=False),
        sa.Column("venue_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.venue_id"],
        ),
        sa.PrimaryKeyConstraint("section_id"),
        sa.UniqueConstraint("venue_id", "name"),
    )
    op.create_table(
        "pinned_holds",
        sa.Column("hold_id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("session_id", sa.Text(), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=Text()), nullable=False),
        sa.Column("pinned_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pinned", nullable=False),
        timestamp_now("created_at"),
        sa.CheckConstraint(
            "status IN ('pinned', 'committed', 'released')", name="pinned_hold_status"
        ),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performances.performance_id"],
        ),
        sa.PrimaryKeyConstraint("hold_id"),
    )
    op.create_table(
        "seats",
        sa.Column("seat_id", sa.Text(), nullable=False),
        sa.Column("section_id", sa.Text(), nullable=False),
        sa.Column("row_label", sa.Text(), nullable=False),
        sa.Column("row_rank", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), server_default="0", nullable=False),
        sa.Column("y", sa.Float(), server_default="0", nullable=False),
        sa.Column("accessible", sa.Boolean(), server_default="false", nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.section_id"],
        ),
        sa.PrimaryKeyConstraint("seat_id"),
        sa.UniqueConstraint("section_id", "row_label", "number"),
    )
    op.create_table(
        "tiers",
        sa.Column("tier_id", sa.Text(), nullable=False),
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        *money("price_amount"),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Integer(), server_default="0", nullable=False),
        sa.Column("seated", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint("capacity >= 0", name="tier_capacity"),
        sa.CheckConstraint("price_amount >= 0", name="tier_price"),
        sa.CheckConstraint("sold >= 0 AND sold <= capacity", name="tier_never_oversold"),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performances.performance_id"],
        ),
        sa.PrimaryKeyConstraint("tier_id"),
        sa.UniqueConstraint("performance_id", "name"),
    )
    op.create_table(
        "performance_seats",
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("seat_id", sa.Text(), nullable=False),
        sa.Column("tier_id", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performances.performance_id"],
        ),
        sa.ForeignKeyConstraint(
            ["seat_id"],
            ["seats.seat_id"],
        ),
        sa.ForeignKeyConstraint(
            ["tier_id"],
            ["tiers.tier_id"],
        ),
        sa.PrimaryKeyConstraint("performance_id", "seat_id"),
    )
    op.create_table(
        "sales",
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("hold_id", sa.Text(), nullable=False),
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("tier_id", sa.Text(), nullable=False),
        sa.Column("seat_id", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="live", nullable=False),
        timestamp_now("created_at"),
        sa.CheckConstraint("status IN ('live', 'returned')", name="sale_status"),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performances.performance_id"],
        ),
        sa.ForeignKeyConstraint(
            ["tier_id"],
            ["tiers.tier_id"],
        ),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_index(
        "one_live_sale_per_seat",
        "sales",
        ["performance_id", "seat_id"],
        unique=True,
        postgresql_where=sa.text("status = 'live' AND seat_id IS NOT NULL"),
    )
    op.create_index("sales_by_order", "sales", ["order_id"], unique=False)


def downgrade() -> None:
    op.drop_index("sales_by_order", table_name="sales")
    op.drop_index(
        "one_live_sale_per_seat",
        table_name="sales",
        postgresql_where=sa.text("status = 'live' AND seat_id IS NOT NULL"),
    )
    op.drop_table("sales")
    op.drop_table("performance_seats")
    op.drop_table("tiers")
    op.drop_table("seats")
    op.drop_table("pinned_holds")
    op.drop_table("sections")
    op.drop_table("performances")
    op.drop_table("venues")
    op.drop_table("events")
