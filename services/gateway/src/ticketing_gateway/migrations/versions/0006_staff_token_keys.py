"""The Idempotency-Key an admin issued a staff token with, and a digest of what they asked: a
retry whose answer was lost gets the same token, not a second one nobody saw."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0005"


def upgrade() -> None:
    op.add_column("staff_tokens", sa.Column("idempotency_key", sa.Text(), nullable=True))
    op.add_column("staff_tokens", sa.Column("request_fingerprint", sa.Text(), nullable=True))
    op.create_index(
        "one_staff_token_per_key",
        "staff_tokens",
        ["issued_by", "idempotency_key"],
        unique=True,
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("one_staff_token_per_key", table_name="staff_tokens")
    op.drop_column("staff_tokens", "request_fingerprint")
    op.drop_column("staff_tokens", "idempotency_key")
