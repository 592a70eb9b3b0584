"""When an order's customer was erased (their name and address gone: on their request, or once
the retention period after the performance ran out), and the index the retention loop reads."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0007", "0006"


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column(
            "erased_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when the customer's personal data was erased (on request, or after retention)",
        ),
    )
    op.create_index(
        "orders_keeping_personal_data",
        "orders",
        ["starts_at"],
        postgresql_where=sa.text("erased_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("orders_keeping_personal_data", table_name="orders")
    op.drop_column("orders", "erased_at")
