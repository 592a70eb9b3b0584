"""platform probes

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "probes",
        sa.Column("probe_id", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("probe_id"),
    )
    op.create_table(
        "probe_answers",
        sa.Column("probe_id", sa.Text(), nullable=False),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["probe_id"],
            ["probes.probe_id"],
        ),
        sa.PrimaryKeyConstraint("probe_id", "service"),
    )


def downgrade() -> None:
    op.drop_table("probe_answers")
    op.drop_table("probes")
