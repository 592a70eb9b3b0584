"""When the server recorded each ticket's use, and its index: the feed of admissions every door
follows, so a door that loses the network knows what the others admitted until then."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0008", "0007"


def upgrade() -> None:
    op.add_column(
        "tickets",
        sa.Column(
            "used_recorded_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="when the server recorded the use (an offline scan's used_at is the device's)",
        ),
    )
    op.execute("UPDATE tickets SET used_recorded_at = used_at WHERE status = 'used'")
    # built without locking the table: doors check in and orders issue tickets meanwhile
    with op.get_context().autocommit_block():
        op.create_index(
            "tickets_admitted_recently",
            "tickets",
            ["performance_id", "used_recorded_at"],
            postgresql_where=sa.text("used_recorded_at IS NOT NULL"),
            postgresql_concurrently=True,
            if_not_exists=True,
        )


def downgrade() -> None:
    op.drop_index("tickets_admitted_recently", table_name="tickets")
    op.drop_column("tickets", "used_recorded_at")
