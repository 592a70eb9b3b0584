"""Catalogue, seat inventory, sales and pinned holds.

The tables are defined once, in ``adapters/tables.py``; this revision creates them as they stand
at this revision. Later changes are new revisions with explicit ``op`` calls.
"""

from alembic import op

from ticketing_inventory.adapters.tables import metadata

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
