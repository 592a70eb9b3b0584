"""The performances cancelled before 0013, found from their card orders' automatic refunds (a
revision of its own: a database that ran 0013 before this was written gets it too). One whose
every sale was at the desk left no such trace in orders: its desk tickets still scan."""

from alembic import op

revision, down_revision = "0014", "0013"


def upgrade() -> None:
    op.execute(
        "INSERT INTO cancelled_performances (performance_id)"
        " SELECT DISTINCT o.performance_id FROM orders o JOIN refunds r USING (order_id)"
        " WHERE r.automatic AND r.idempotency_key = 'performance-cancelled'"
        " AND o.performance_id IS NOT NULL"
        " ON CONFLICT DO NOTHING"
    )


def downgrade() -> None:
    """What it found stays: the table goes with 0013's downgrade."""
