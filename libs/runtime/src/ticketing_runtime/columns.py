"""Column groups that recur across the services' tables, each written once.

Each function returns fresh objects (a ``Column`` or an ``Index`` belongs to one table), used by
the live ``adapters/tables.py`` and by the migrations alike.

Frozen: revisions call these, and a revision builds the same tables forever (see
``ticketing_runtime.migrations``). So once a revision uses a function here, its shape never
changes: names, types, nullability, defaults and index predicates stay as they are. A table that
needs another shape gets a new function here and a new revision; the old function stays for the
old revisions. ``tests/migrations/test_frozen_columns.py`` pins the DDL of each.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Integer, String, Text, func, text


def timestamp_now(name: str) -> Column[datetime]:
    """``name timestamptz NOT NULL DEFAULT now()``: when the row was created, requested,
    received …, stamped by the database at insert."""
    return Column(name, DateTime(timezone=True), nullable=False, server_default=func.now())


def created_and_updated() -> tuple[Column[datetime], Column[datetime]]:
    """``created_at`` and ``updated_at``, both stamped at insert (the code moves ``updated_at``)."""
    return timestamp_now("created_at"), timestamp_now("updated_at")


def money(amount: str = "amount", *, nullable: bool = False) -> tuple[Column[int], Column[str]]:
    """An amount in the currency's minor units (cents) and ``currency``, its ISO 4217 code (three
    letters); ``nullable``: both may be NULL (a row with no amount yet, or of another kind)."""
    return (
        Column(amount, Integer, nullable=nullable),
        Column("currency", String(3), nullable=nullable),
    )


def retries() -> tuple[Column[int], Column[datetime], Column[str]]:
    """``attempts``, ``next_attempt_at`` and ``last_error`` of work retried until done: what
    ``ticketing_runtime.due_work`` claims by (with the table's own ``status`` text column, whose
    values are the table's) and records a failed attempt in. A new row is due at once."""
    return (
        Column("attempts", Integer, nullable=False, server_default="0"),
        timestamp_now("next_attempt_at"),
        Column("last_error", Text),
    )


def due_index(table: str) -> Index:
    """``<table>_due``: the pending rows by ``next_attempt_at``, the rows and order that
    ``due_work.due_query`` claims (place it in the table's definition)."""
    return Index(f"{table}_due", "next_attempt_at", postgresql_where=text("status = 'pending'"))
