"""Notifications: what we owe and what we sent.

Creates the tables of ``adapters/tables.py`` as they stand at this revision; later changes are
new revisions with explicit ``op`` calls.
"""

from alembic import op

from ticketing_notifications.adapters.tables import metadata

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
