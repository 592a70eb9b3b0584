"""E-mails about an order whose event data is odd are still written (no servers)."""

from __future__ import annotations

from datetime import UTC, datetime

from ticketing_notifications.adapters.mail_composer import compose
from ticketing_notifications.domain.notification import Template
from ticketing_runtime.time_zones import zone_or_utc


def test_a_confirmation_with_an_unknown_zone_reads_in_utc_and_without_a_start_is_announced() -> (
    None
):
    base = {
        "customer_name": "Ada",
        "customer_email": "ada@example.com",
        "order_number": "ORD-1",
        "event_name": "Night",
        "tickets_count": 1,
        "tickets_pdf": b"%PDF-1.7 tiny",
        "tickets_url": "http://127.0.0.1:28080/v1/orders/ord_1",
        "venue_line": "Hall",
        "ticket_lines": ["ORD-1-1: Floor"],
        "total_minor": 2500,
        "currency": "EUR",
        "order_url": "http://127.0.0.1:28080/orders/ord_1#token=t",
    }
    start = datetime(2026, 3, 14, 18, 30, tzinfo=UTC).astimezone(
        zone_or_utc("Mars/Olympus_Mons", what="test")
    )
    in_utc = compose(Template.ORDER_CONFIRMATION, {**base, "starts_at": start})
    assert "18:30 UTC" in in_utc.text
    unknown = compose(Template.ORDER_CONFIRMATION, {**base, "starts_at": None})
    assert "to be announced" in unknown.text
