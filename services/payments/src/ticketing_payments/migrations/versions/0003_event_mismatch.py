"""Stripe events that did not count: the reason, for the reconciliation report.

``IF NOT EXISTS``: revision 0002 creates the tables from the current ``tables.py``, so on a new
database the column exists already.
"""

from alembic import op

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.execute("ALTER TABLE stripe_events ADD COLUMN IF NOT EXISTS mismatch text")
    op.execute(
        "CREATE INDEX IF NOT EXISTS mismatched_stripe_events ON stripe_events (received_at)"
        " WHERE mismatch IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS mismatched_stripe_events")
    op.execute("ALTER TABLE stripe_events DROP COLUMN IF EXISTS mismatch")
