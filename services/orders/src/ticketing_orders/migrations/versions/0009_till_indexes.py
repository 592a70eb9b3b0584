"""The indexes a clerk's till reads ("My till": their desk sales since a moment, and the refunds
they made), built concurrently: the desks sell meanwhile."""

from alembic import op

from ticketing_runtime.migrations import create_index_online

revision, down_revision = "0009", "0008"


def upgrade() -> None:
    create_index_online(
        "orders_sold_at_desk", "orders", ["sold_by", "paid_at"], where="sold_by IS NOT NULL"
    )
    create_index_online(
        "refunds_by_requester",
        "refunds",
        ["requested_by", "created_at"],
        where="requested_by IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index("refunds_by_requester", table_name="refunds")
    op.drop_index("orders_sold_at_desk", table_name="orders")
