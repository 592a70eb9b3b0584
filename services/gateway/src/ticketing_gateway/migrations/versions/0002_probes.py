"""Platform probes and each service's answer to them."""

import sqlalchemy as sa
from alembic import op

from ticketing_runtime.columns import timestamp_now

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "probes",
        sa.Column("probe_id", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        timestamp_now("requested_at"),
        sa.PrimaryKeyConstraint("probe_id"),
    )
    op.create_table(
        "probe_answers",
        sa.Column("probe_id", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        timestamp_now("received_at"),
        sa.ForeignKeyConstraint(
            ["probe_id"],
            ["probes.probe_id"],
        ),
        sa.PrimaryKeyConstraint("probe_id", "service"),
    )


def downgrade() -> None:
    op.drop_table("probe_answers")
    op.drop_table("probes")
