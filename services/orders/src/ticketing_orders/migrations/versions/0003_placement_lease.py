"""The lease of the request placing an order: a retry takes over once it runs out."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column(
            "placing_until",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="lease of the live request placing the order (renewed while it runs)",
        ),
    )


def downgrade() -> None:
    op.drop_column("orders", "placing_until")
