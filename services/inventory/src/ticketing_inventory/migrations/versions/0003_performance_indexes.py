"""Indexes for reading one performance's live sales and pinned holds.

Rebuilding Redis and the reconciliation report read them per performance; without these, each
read scanned every sale ever made. (Databases created before revision 0002 was frozen already
have them: ``if_not_exists``.)
"""

from alembic import op

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.create_index(
        "live_sales_by_performance",
        "sales",
        ["performance_id", "tier_id"],
        postgresql_where="status = 'live'",
        if_not_exists=True,
    )
    op.create_index(
        "live_pins_by_performance",
        "pinned_holds",
        ["performance_id"],
        postgresql_where="status = 'pinned'",
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("live_pins_by_performance", table_name="pinned_holds")
    op.drop_index("live_sales_by_performance", table_name="sales")
