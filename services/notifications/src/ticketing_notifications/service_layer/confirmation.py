"""What the order confirmation says beyond the order itself: the venue, each seat or tier, the
total, and the calendar invitation (the performance's end comes from inventory's public read)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ticketing_notifications.domain.calendar import invitation
from ticketing_notifications.domain.links import performance_url
from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable

# when inventory cannot say when the performance ends, the invitation lasts this long
DEFAULT_LENGTH = timedelta(hours=2)


def ticket_line(ticket: dict[str, Any]) -> str:
    seat = ticket.get("seat")
    if seat:
        place = f"{seat['section']}, row {seat['row']}, seat {seat['number']}"
        return f"{ticket['ticket_number']}: {place} ({ticket['tier_name']})"
    return f"{ticket['ticket_number']}: {ticket['tier_name']}, general admission"


def venue_line(order: dict[str, Any]) -> str:
    parts = [order.get("venue_name"), order.get("venue_address")]
    return ", ".join(p for p in parts if p) or "General admission (see the event page)"


async def performance_end(inventory: ServiceClient, performance_id: str | None) -> str | None:
    if not performance_id:
        return None
    try:
        answer = await inventory.request("GET", f"/v1/performances/{performance_id}")
    except ServiceUnavailable:
        return None
    return str(answer.json()["ends_at"]) if answer.status_code == 200 else None


async def confirmation_facts(
    inventory: ServiceClient,
    order: dict[str, Any],
    local: Callable[[str | None], datetime | None],
    order_page: str,
    public_base_url: str,
) -> dict[str, Any]:
    live = [t for t in order["tickets"] if t["status"] in ("valid", "used")]
    starts_at = local(order["starts_at"])
    facts: dict[str, Any] = {
        "venue_line": venue_line(order),
        "ticket_lines": [ticket_line(t) for t in live],
        "total_minor": order["total"]["amount"],
        "currency": order["total"]["currency"],
        "order_url": order_page,
    }
    if starts_at is not None:
        ends_at = local(await performance_end(inventory, order.get("performance_id")))
        facts["calendar"] = invitation(
            uid=f"{order['order_id']}@tickets",
            summary=order["event_name"] or "Your event",
            starts_at=starts_at,
            ends_at=ends_at or starts_at + DEFAULT_LENGTH,
            time_zone=order["time_zone"] or "UTC",
            location=venue_line(order),
            # no order link: a calendar is shared and synced, and the token opens the tickets
            description=f"Order {order['order_number']}: your tickets are in the e-mail this"
            " invitation came with, or on your order's page linked from it.",
            url=performance_url(public_base_url, order["performance_id"])
            if order.get("performance_id")
            else public_base_url,
        )
    return facts
