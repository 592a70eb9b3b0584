"""A staff refund remembers what was asked, so its Idempotency-Key answers only that request
(another body with the same key is refused, as at placement); older refunds have none."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0005"


def upgrade() -> None:
    op.add_column(
        "refunds",
        sa.Column(
            "request_fingerprint",
            sa.Text(),
            nullable=True,
            comment="of the staff request that made it: its Idempotency-Key answers only that one",
        ),
    )


def downgrade() -> None:
    op.drop_column("refunds", "request_fingerprint")
