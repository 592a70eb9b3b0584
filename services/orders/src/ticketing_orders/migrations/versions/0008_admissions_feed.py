"""When the server last recorded a change of each ticket's use (its check-in, or staff undoing
it), and its index: the feed every door follows, so a door that loses the network knows what the
others admitted until then.

Written for a live table: the column is added without a default (no rewrite) and under a short
lock timeout (a long wait for the lock would queue every check-in behind it: the migration fails
and is run again instead); the backfill commits in small batches and the index is built
concurrently. Each step can run again, so a run cut short anywhere is finished by the next."""

import sqlalchemy as sa
from alembic import op

from ticketing_runtime.migrations import create_index_online

revision, down_revision = "0008", "0007"

BACKFILL_BATCH = 5000


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("ALTER TABLE tickets ADD COLUMN IF NOT EXISTS used_recorded_at timestamptz")
    op.execute(
        "COMMENT ON COLUMN tickets.used_recorded_at IS 'when the server last recorded a change "
        "of its use: checked in (an offline scan''s used_at is the device''s) or reset'"
    )
    with op.get_context().autocommit_block():
        backfill = sa.text(
            "UPDATE tickets SET used_recorded_at = used_at WHERE ticket_id IN ("
            " SELECT ticket_id FROM tickets"
            " WHERE status = 'used' AND used_recorded_at IS NULL AND used_at IS NOT NULL"
            " LIMIT :batch)"
        )
        while op.get_bind().execute(backfill, {"batch": BACKFILL_BATCH}).rowcount:
            pass
    create_index_online(
        "tickets_admitted_recently",
        "tickets",
        ["performance_id", "used_recorded_at"],
        where="used_recorded_at IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index("tickets_admitted_recently", table_name="tickets")
    op.drop_column("tickets", "used_recorded_at")
