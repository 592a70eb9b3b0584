"""When reconciliation last asked Stripe about an open intent, so each one gets its turn (it
took the same oldest hundred every round)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0004", "0003"


def upgrade() -> None:
    op.add_column(
        "payment_intents",
        sa.Column(
            "reconciled_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when reconciliation last asked Stripe about it (each open intent in turn)",
        ),
    )


def downgrade() -> None:
    op.drop_column("payment_intents", "reconciled_at")
