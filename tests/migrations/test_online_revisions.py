"""Revisions written for a live table (orders' admissions feed): they fill what they add in
small batches, and a run cut short anywhere (its index build killed by a deadline, say) is
finished by the next run, where a second run used to fail on the column the first had added."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from tests.migrations.test_frozen_migrations import _config, _differences, _in_schema

pytestmark = pytest.mark.infra

USED = 12  # more than one batch of the backfill, with its size made small below
VALID = 3


@pytest.fixture
def orders_at_0007(infrastructure: None) -> Iterator[str]:
    schema = f"migrations_{uuid.uuid4().hex[:12]}"
    _in_schema("public", lambda c: c.execute(text(f'CREATE SCHEMA "{schema}"')))
    command.upgrade(_config("orders", schema), "0007")
    _in_schema(schema, _seed)
    yield schema
    _in_schema("public", lambda c: c.execute(text(f'DROP SCHEMA "{schema}" CASCADE')))


def _seed(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO orders (order_id, order_number, access_token_digest, session_id,"
            " idempotency_key, request_fingerprint, hold_id, customer_name, status)"
            " VALUES ('ord_1', 'ORD-1', 'd', 's', 'k', 'f', 'hld_1', 'Ana', 'paid')"
        )
    )
    for n in range(USED + VALID):
        used = n < USED
        connection.execute(
            text(
                "INSERT INTO tickets (ticket_id, ticket_number, order_id, performance_id,"
                " tier_id, unit_price, secret, status, used_at) VALUES (:id, :number, 'ord_1',"
                " 'prf_1', 'tier_1', 1000, 's', :status, :used_at)"
            ),
            {
                "id": f"tkt_{n}",
                "number": f"T-{n}",
                "status": "used" if used else "valid",
                "used_at": datetime(2026, 12, 4, 19, n, tzinfo=UTC) if used else None,
            },
        )


def _recorded(connection: Connection) -> dict[str, bool | None]:
    rows = connection.execute(text("SELECT ticket_id, used_at, used_recorded_at FROM tickets"))
    return {
        row.ticket_id: (row.used_recorded_at == row.used_at) if row.used_at else None
        for row in rows
    }


def test_the_admissions_revision_fills_every_used_ticket_in_batches(
    orders_at_0007: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    revision = __import__(
        "ticketing_orders.migrations.versions.0008_admissions_feed", fromlist=["x"]
    )
    monkeypatch.setattr(revision, "BACKFILL_BATCH", 5)

    command.upgrade(_config("orders", orders_at_0007), "head")

    recorded = _in_schema(orders_at_0007, _recorded)
    assert [recorded[f"tkt_{n}"] for n in range(USED)] == [True] * USED
    assert [recorded[f"tkt_{n}"] for n in range(USED, USED + VALID)] == [None] * VALID
    assert _differences("orders", orders_at_0007) == []


def test_the_admissions_revision_finishes_a_run_cut_short(orders_at_0007: str) -> None:
    def cut_short(connection: Connection) -> None:
        # what a first run left: the column committed, the backfill half done, and the index
        # build killed (PostgreSQL keeps such an index, marked invalid)
        connection.execute(text("ALTER TABLE tickets ADD COLUMN used_recorded_at timestamptz"))
        connection.execute(
            text("UPDATE tickets SET used_recorded_at = used_at WHERE ticket_id = 'tkt_0'")
        )
        connection.execute(
            text("CREATE INDEX tickets_admitted_recently ON tickets (performance_id)")
        )
        connection.execute(
            text(
                "UPDATE pg_index SET indisvalid = false"
                " WHERE indexrelid = to_regclass('tickets_admitted_recently')"
            )
        )

    _in_schema(orders_at_0007, cut_short)

    command.upgrade(_config("orders", orders_at_0007), "head")

    recorded = _in_schema(orders_at_0007, _recorded)
    assert [recorded[f"tkt_{n}"] for n in range(USED)] == [True] * USED
    assert _differences("orders", orders_at_0007) == [], "the index is built again, whole"


def test_performances_cancelled_before_the_door_checked_are_found_from_their_refunds(
    infrastructure: None,
) -> None:
    """Orders 0013 has the door refuse cancelled performances: 0014 finds the ones cancelled
    before from their card orders' automatic refunds, or their desk tickets would still be
    admitted (0013 is where the live databases are: it runs after it, on rows it has)."""
    schema = f"migrations_{uuid.uuid4().hex[:12]}"
    _in_schema("public", lambda c: c.execute(text(f'CREATE SCHEMA "{schema}"')))
    try:
        command.upgrade(_config("orders", schema), "0013")
        _in_schema(schema, _cancelled_and_not)
        command.upgrade(_config("orders", schema), "head")
        found = _in_schema(
            schema,
            lambda c: sorted(
                c.execute(text("SELECT performance_id FROM cancelled_performances")).scalars()
            ),
        )
        assert found == ["prf_cancelled"]
    finally:
        _in_schema("public", lambda c: c.execute(text(f'DROP SCHEMA "{schema}" CASCADE')))


def _cancelled_and_not(connection: Connection) -> None:
    for n, (performance, key) in enumerate(
        (("prf_cancelled", "performance-cancelled"), ("prf_on", "sale-rejected"))
    ):
        connection.execute(
            text(
                "INSERT INTO orders (order_id, order_number, access_token_digest, session_id,"
                " idempotency_key, request_fingerprint, hold_id, customer_name, status,"
                " performance_id) VALUES (:o, :number, 'd', 's', :k, 'f', :h, 'Ana', 'refunded',"
                " :p)"
            ),
            {
                "o": f"ord_{n}",
                "number": f"ORD-{n}",
                "k": f"k{n}",
                "h": f"hld_{n}",
                "p": performance,
            },
        )
        connection.execute(
            text(
                "INSERT INTO refunds (refund_id, order_id, amount, currency, ticket_ids, status,"
                " automatic, idempotency_key) VALUES (:r, :o, 100, 'EUR', '{}', 'succeeded',"
                " true, :key)"
            ),
            {"r": f"rfd_{n}", "o": f"ord_{n}", "key": key},
        )
