"""Stripe's own status of each refund, and when reconciliation last asked about one it accepted
as pending: a pending refund whose final webhook is lost is asked about again, so one that failed
after all is not taken for money given back."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0005", "0004"


def upgrade() -> None:
    op.add_column(
        "payment_refunds",
        sa.Column(
            "stripe_status",
            sa.Text,
            nullable=True,
            comment="Stripe's own status of the refund as last heard (pending: asked about again)",
        ),
    )
    op.add_column(
        "payment_refunds",
        sa.Column(
            "reconciled_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when reconciliation last asked Stripe about a refund it accepted as pending",
        ),
    )
    op.create_index(
        "refunds_pending_at_stripe",
        "payment_refunds",
        ["reconciled_at"],
        postgresql_where=sa.text("stripe_status IN ('pending', 'requires_action')"),
    )


def downgrade() -> None:
    op.drop_index("refunds_pending_at_stripe", table_name="payment_refunds")
    op.drop_column("payment_refunds", "reconciled_at")
    op.drop_column("payment_refunds", "stripe_status")
