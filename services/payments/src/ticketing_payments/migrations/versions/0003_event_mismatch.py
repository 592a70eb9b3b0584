"""Stripe events that did not count: the reason, for the reconciliation report."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.add_column(
        "stripe_events",
        sa.Column(
            "mismatch",
            sa.Text(),
            nullable=True,
            comment="why the event did not count (domain.payment.Mismatch)",
        ),
    )
    op.create_index(
        "mismatched_stripe_events",
        "stripe_events",
        ["received_at"],
        postgresql_where=sa.text("mismatch IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("mismatched_stripe_events", table_name="stripe_events")
    op.drop_column("stripe_events", "mismatch")
