"""The lease of the request placing an order: a retry takes over once it runs out.

``IF NOT EXISTS``: revision 0002 creates the tables from the current ``tables.py``, so on a new
database the column exists already.
"""

from alembic import op

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS placing_until timestamptz")


def downgrade() -> None:
    op.execute("ALTER TABLE orders DROP COLUMN IF EXISTS placing_until")
