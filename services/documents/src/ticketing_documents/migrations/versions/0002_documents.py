"""Render jobs and stored documents.

Frozen: the tables as they stood at this revision, stated explicitly (never from the live
``adapters/tables.py``); later changes are new revisions.
"""

import sqlalchemy as sa
from alembic import op

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
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
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
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("render_ms", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'done', 'parked')", name="render_job_status"),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_index(
        "render_jobs_due",
        "render_jobs",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index(
        "render_jobs_due", table_name="render_jobs", postgresql_where=sa.text("status = 'pending'")
    )
    op.drop_table("render_jobs")
    op.drop_index(
        "one_current_document",
        table_name="documents",
        postgresql_where=sa.text("superseded_at IS NULL"),
    )
    op.drop_table("documents")
