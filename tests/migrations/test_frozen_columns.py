"""The column groups of ``ticketing_runtime.columns`` keep the DDL the revisions were written with.

Revisions call these functions, so a change to one would silently change what an old revision
builds: each test pins the PostgreSQL DDL of one group. A failure here means the change belongs in
a new function (and a new revision), not in the old one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, MetaData, Table, Text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateColumn, CreateIndex

from ticketing_runtime.columns import (
    created_and_updated,
    due_index,
    money,
    retries,
    timestamp_now,
)

DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def _ddl(*columns: Column[Any]) -> list[str]:
    table = Table("t", MetaData(), *columns)
    return [str(CreateColumn(column).compile(dialect=DIALECT)) for column in table.columns]


def test_timestamp_now() -> None:
    assert _ddl(timestamp_now("received_at")) == [
        "received_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL"
    ]


def test_created_and_updated() -> None:
    assert _ddl(*created_and_updated()) == [
        "created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL",
        "updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL",
    ]


def test_money() -> None:
    assert _ddl(*money()) == ["amount INTEGER NOT NULL", "currency VARCHAR(3) NOT NULL"]
    assert _ddl(*money("total_amount", nullable=True)) == [
        "total_amount INTEGER",
        "currency VARCHAR(3)",
    ]


def test_retries() -> None:
    assert _ddl(*retries()) == [
        "attempts INTEGER DEFAULT '0' NOT NULL",
        "next_attempt_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL",
        "last_error TEXT",
    ]


def test_due_index() -> None:
    index = due_index("jobs")
    Table("jobs", MetaData(), Column("status", Text), *retries(), index)
    assert str(CreateIndex(index).compile(dialect=DIALECT)) == (
        "CREATE INDEX jobs_due ON jobs (next_attempt_at) WHERE status = 'pending'"
    )
