"""The staff tokens admins issue (their ids, never the tokens) and their withdrawal."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision, down_revision = "0004", "0003"


def upgrade() -> None:
    op.create_table(
        "staff_tokens",
        sa.Column("token_id", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Text(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("token_id"),
    )
    op.create_index("staff_tokens_by_issue", "staff_tokens", ["issued_at", "token_id"])
    op.create_index(
        "staff_tokens_withdrawn",
        "staff_tokens",
        ["expires_at"],
        postgresql_where=sa.text("withdrawn_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_table("staff_tokens")
