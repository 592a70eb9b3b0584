"""Box-office sales, staff search, revocation lists and offline scans.

Orders record a desk payment method and the clerk who sold them, and a box-office sale may have
no e-mail address; indexes serve the staff search; tickets name the device that admitted them;
``ticket_revocations`` feeds the scanners' revocation lists and ``offline_scans`` makes an
upload of offline scans count once per client nonce.
"""

import sqlalchemy as sa
from alembic import op

from ticketing_runtime.columns import timestamp_now

revision, down_revision = "0004", "0003"


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column(
            "payment_method",
            sa.Text(),
            nullable=True,
            comment="none: online (Stripe, or free); else the desk's",
        ),
    )
    op.add_column(
        "orders",
        sa.Column(
            "sold_by", sa.Text(), nullable=True, comment="the staff member of a box-office sale"
        ),
    )
    op.create_check_constraint(
        "order_payment_method",
        "orders",
        "payment_method IS NULL OR payment_method IN ('cash', 'card_terminal', 'complimentary')",
    )
    op.alter_column(
        "orders",
        "customer_email",
        existing_type=sa.Text(),
        nullable=True,
        comment="none: a box-office sale without an address",
    )
    op.create_index("orders_by_email", "orders", [sa.text("lower(customer_email)")])
    op.create_index("orders_by_performance", "orders", ["performance_id", "created_at"])
    op.create_index("orders_by_created_at", "orders", ["created_at"])
    op.add_column(
        "tickets",
        sa.Column(
            "used_device",
            sa.Text(),
            nullable=True,
            comment="the scanning device (offline uploads name it)",
        ),
    )
    op.create_table(
        "ticket_revocations",
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("ticket_id", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        timestamp_now("revoked_at"),
        sa.CheckConstraint("reason IN ('refunded', 'voided')", name="revocation_reason"),
        sa.PrimaryKeyConstraint("performance_id", "seq", name="ticket_revocations_pkey"),
    )
    # tickets refunded before this revision start the lists
    op.execute(
        "INSERT INTO ticket_revocations (performance_id, seq, ticket_id, reason)"
        " SELECT performance_id,"
        " row_number() OVER (PARTITION BY performance_id ORDER BY issued_at, ticket_id),"
        " ticket_id, status FROM tickets WHERE status IN ('refunded', 'voided')"
    )
    op.create_table(
        "offline_scans",
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=False),
        sa.Column("scanner", sa.Text(), nullable=False),
        sa.Column("performance_id", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Text(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        timestamp_now("uploaded_at"),
        sa.PrimaryKeyConstraint("device_id", "nonce", name="offline_scans_pkey"),
    )


def downgrade() -> None:
    op.drop_table("offline_scans")
    op.drop_table("ticket_revocations")
    op.drop_column("tickets", "used_device")
    op.drop_index("orders_by_created_at", table_name="orders")
    op.drop_index("orders_by_performance", table_name="orders")
    op.drop_index("orders_by_email", table_name="orders")
    op.alter_column("orders", "customer_email", existing_type=sa.Text(), nullable=False)
    op.drop_constraint("order_payment_method", "orders", type_="check")
    op.drop_column("orders", "sold_by")
    op.drop_column("orders", "payment_method")
