"""A table of due work as the shared due-work loop expects it, for the runtime's own tests."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, func


def due_jobs_table(name: str, metadata: MetaData) -> Table:
    """``job_id``, ``status`` (pending by default), ``attempts``, ``next_attempt_at`` (now),
    ``last_error``: the columns the loop claims, postpones and parks by."""
    return Table(
        name,
        metadata,
        Column("job_id", Text, primary_key=True),
        Column("status", Text, nullable=False, server_default="pending"),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column(
            "next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()
        ),
        Column("last_error", Text),
    )
