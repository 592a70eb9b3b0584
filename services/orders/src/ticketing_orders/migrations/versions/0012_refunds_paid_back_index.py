"""The index a clerk's till reads the refunds they paid back from it by, built concurrently:
staff refund meanwhile."""

from alembic import op

from ticketing_runtime.migrations import create_index_online

revision, down_revision = "0012", "0011"


def upgrade() -> None:
    create_index_online(
        "refunds_paid_back_from_till",
        "refunds",
        ["paid_back_by", "paid_back_at"],
        where="paid_back_from_till IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index("refunds_paid_back_from_till", table_name="refunds")
