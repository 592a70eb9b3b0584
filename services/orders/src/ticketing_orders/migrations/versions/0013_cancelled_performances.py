"""Performances inventory cancelled, as orders heard it: the door admits nobody to them (those
cancelled before: 0014)."""

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


def downgrade() -> None:
    op.drop_table("cancelled_performances")
