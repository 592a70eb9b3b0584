"""Performances inventory cancelled, as orders heard it: the door admits nobody to them. Those
cancelled before this revision are found from their card orders' automatic refunds; one whose
every sale was at the desk left no such trace in orders, and its desk tickets still scan."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0013", "0012"


def upgrade() -> None:
    op.create_table(
        "cancelled_performances",
        sa.Column("performance_id", sa.Text(), primary_key=True),
        sa.Column(
            "cancelled_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
    )
    op.execute(
        "INSERT INTO cancelled_performances (performance_id)"
        " SELECT DISTINCT o.performance_id FROM orders o JOIN refunds r USING (order_id)"
        " WHERE r.automatic AND r.idempotency_key = 'performance-cancelled'"
        " AND o.performance_id IS NOT NULL"
        " ON CONFLICT DO NOTHING"
    )


def downgrade() -> None:
    op.drop_table("cancelled_performances")
