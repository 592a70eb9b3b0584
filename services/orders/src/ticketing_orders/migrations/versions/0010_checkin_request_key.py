"""The Idempotency-Key of the check-in by number that used a ticket: a steward who types the
number again after the answer was lost is answered "admit" again, not "already used", for the
holder the lost request admitted."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0010", "0009"


def upgrade() -> None:
    op.add_column(
        "tickets",
        sa.Column(
            "used_request",
            sa.Text(),
            nullable=True,
            comment=(
                "the Idempotency-Key of the check-in by number that used it: that entry asked"
                " again (its answer lost) is answered as the first time"
            ),
        ),
    )


def downgrade() -> None:
    op.drop_column("tickets", "used_request")
