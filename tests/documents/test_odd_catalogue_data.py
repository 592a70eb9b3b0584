"""Odd catalogue data never keeps a paid order from its tickets: an unknown time zone prints in
UTC (said on the ticket), a missing fact prints as a placeholder (no servers)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.documents.pdf_tools import page_texts
from tests.documents.samples import signed_secret
from ticketing_documents.adapters.pdf_renderer import render_orders
from ticketing_documents.domain.ticket_document import (
    PLACEHOLDER,
    UNKNOWN_START,
    local_starts_at,
    start_date_text,
    start_time_text,
)
from ticketing_documents.service_layer.rendering import document_of
from ticketing_runtime.time_zones import usable_zone_name, zone_or_utc

STARTS = datetime(2026, 3, 14, 18, 30, tzinfo=UTC)


def details(**changes: Any) -> dict[str, Any]:
    """What orders' ``GET /internal/orders/{id}`` answers for a paid order of one ticket."""
    order: dict[str, Any] = {
        "order_id": "ord_odd",
        "order_number": "ORD-20260314-ODD001",
        "status": "paid",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "event_name": "Die Zauberflöte",
        "starts_at": STARTS.isoformat(),
        "time_zone": "Europe/Berlin",
        "venue_name": "Staatsoper",
        "venue_address": None,
        "tickets": [
            {
                "ticket_id": "tkt_odd1",
                "ticket_number": "ORD-20260314-ODD001-1",
                "tier_name": "Standing",
                "seat": None,
                "secret": signed_secret("tkt_odd1", "prf_odd", None),
                "status": "valid",
                "version": 1,
            }
        ],
    }
    return {**order, **changes}


def test_an_unknown_zone_falls_back_to_utc_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        local = local_starts_at(STARTS, "Mars/Olympus_Mons")
    assert start_time_text(local) == "18:30 UTC"
    assert usable_zone_name("Mars/Olympus_Mons", what="t") == "UTC"
    assert usable_zone_name("Europe/Berlin", what="t") == "Europe/Berlin"
    assert str(zone_or_utc(None, what="t")) == "UTC"
    assert "Mars/Olympus_Mons" in caplog.text


@pytest.mark.parametrize(
    "odd",
    [
        {"time_zone": "Mars/Olympus_Mons"},
        {"time_zone": None},
        {"time_zone": "Europe/Berlin\x00"},
        {"event_name": None, "venue_name": ""},
        {"starts_at": None},
        {"starts_at": "2026-03-14T19:30:00"},  # naive: whose clock?
    ],
    ids=["unknown-zone", "no-zone", "nul-in-zone", "no-names", "no-start", "naive-start"],
)
def test_a_paid_order_with_odd_event_data_still_renders(odd: dict[str, Any]) -> None:
    doc = document_of(details(**odd), version=1)
    [rendered] = render_orders([doc])
    [text] = page_texts(rendered.pdf)
    assert "ORD-20260314-ODD001-1" in text
    if "time_zone" in odd:
        assert doc.time_zone == "UTC"
        assert "18:30 UTC" in text
    if "event_name" in odd:
        assert doc.event_name == doc.venue_name == PLACEHOLDER
    if "starts_at" in odd:
        assert doc.starts_at == UNKNOWN_START
        assert start_date_text(local_starts_at(doc.starts_at, doc.time_zone)) in text
