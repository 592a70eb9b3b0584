"""Orders that died (expired, cancelled) before payments heard they were placed, so a late
``order.placed`` (redelivered, or replayed from the parking lot) makes no intent for them and
mails no payment link."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0005"


def upgrade() -> None:
    op.create_table(
        "dead_orders",
        sa.Column("order_id", sa.Text(), primary_key=True),
        sa.Column(
            "died_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_table("dead_orders")
