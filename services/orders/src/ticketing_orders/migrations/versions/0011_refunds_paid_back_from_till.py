"""Who paid a failed refund back by hand, when, and whether out of their desk till (cash or the
card terminal): "My till" counts it, so the drawer is not short by money it gave back."""

import sqlalchemy as sa
from alembic import op

from ticketing_runtime.migrations import create_index_online

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
    create_index_online(  # staff refund meanwhile
        "refunds_paid_back_from_till",
        "refunds",
        ["paid_back_by", "paid_back_at"],
        where="paid_back_from_till IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index("refunds_paid_back_from_till", table_name="refunds")
    op.drop_column("refunds", "paid_back_at")
    op.drop_column("refunds", "paid_back_from_till")
    op.drop_column("refunds", "paid_back_by")
