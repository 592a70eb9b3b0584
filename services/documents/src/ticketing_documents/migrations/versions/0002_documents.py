"""Render jobs and stored documents."""

import sqlalchemy as sa
from alembic import op

from ticketing_runtime.columns import due_index, retries, timestamp_now

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("document_id", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        timestamp_now("created_at"),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("document_id"),
        sa.UniqueConstraint("storage_key"),
    )
    op.create_index(
        "one_current_document",
        "documents",
        ["order_id", sa.literal_column("coalesce(ticket_id, '')")],
        unique=True,
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.create_table(
        "render_jobs",
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        *retries(),
        timestamp_now("requested_at"),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("render_ms", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'done', 'parked')", name="render_job_status"),
        sa.PrimaryKeyConstraint("order_id"),
        due_index("render_jobs"),
    )


def downgrade() -> None:
    op.drop_table("render_jobs")
    op.drop_index(
        "one_current_document",
        table_name="documents",
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.drop_table("documents")
