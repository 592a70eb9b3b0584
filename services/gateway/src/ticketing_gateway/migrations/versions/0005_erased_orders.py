"""The orders whose customer was erased, so that a staff action quoting the customer (a
correction of their name or address) that reaches the log after the erasure is kept without
them: the events come in no order."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0005", "0004"


def upgrade() -> None:
    op.create_table(
        "erased_orders",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column(
            "erased_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("order_id"),
    )


def downgrade() -> None:
    op.drop_table("erased_orders")
