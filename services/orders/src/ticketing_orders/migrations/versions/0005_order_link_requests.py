"""Customers ask for links to their orders by e-mail address ("find my tickets"): when each
address (by digest) last got that e-mail, so an address is mailed at most once per interval."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0005", "0004"


def upgrade() -> None:
    op.create_table(
        "order_link_requests",
        sa.Column(
            "address_digest",
            sa.Text(),
            primary_key=True,
            comment="sha256 of the lower-case address",
        ),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("order_link_requests")
