"""Who paid a failed refund back by hand, when, and whether out of their desk till (cash or the
card terminal): "My till" counts it, so the drawer is not short by money it gave back. Its
index is 0012's, built concurrently outside a transaction: a build cut short there is built
again, while these columns, committed, are not added twice."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0011", "0010"


def upgrade() -> None:
    op.add_column(
        "refunds",
        sa.Column(
            "paid_back_by",
            sa.Text(),
            nullable=True,
            comment="a failed refund paid back by hand: by whom",
        ),
    )
    op.add_column(
        "refunds",
        sa.Column(
            "paid_back_from_till",
            sa.Text(),
            nullable=True,
            comment="cash or card_terminal: out of that clerk's desk till (counted in it)",
        ),
    )
    op.add_column("refunds", sa.Column("paid_back_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("refunds", "paid_back_at")
    op.drop_column("refunds", "paid_back_from_till")
    op.drop_column("refunds", "paid_back_by")
