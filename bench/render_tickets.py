#!/usr/bin/env python3
"""PDF ticket rendering in one process (not a test; needs no running stack).

Renders ``--orders`` orders of ``--tickets`` tickets each as one layout, cut into each order's
PDF and each ticket's, as the documents service does (one page per ticket, each with its QR
code), ``--runs`` times after ``--warmup`` untimed renders, and reports the time per ticket.

    uv run python bench/render_tickets.py [--tickets 2] [--orders 1] [--runs 50] [--warmup 3]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ticketing_documents.adapters.pdf_renderer import render_orders
from ticketing_documents.domain.ticket_document import (
    OrderDocument,
    SeatLabel,
    TicketFace,
    TicketPrice,
)
from ticketing_orders.domain.tickets import TicketClaims, sign
from ticketing_runtime.ids import new_id


def sample_order(tickets: int) -> OrderDocument:
    key = Ed25519PrivateKey.generate()
    performance_id = new_id("prf")
    faces = []
    for index in range(tickets):
        ticket_id = new_id("tkt")
        faces.append(
            TicketFace(
                ticket_id=ticket_id,
                ticket_number=f"ORD-20260314-7KQ2XM-{index + 1}",
                secret=sign(key, TicketClaims(ticket_id, performance_id, new_id("seat"), 1)),
                holder_name="Ada Lovelace",
                tier_name="Stalls",
                seat=SeatLabel("A", str(1 + index // 20), str(1 + index % 20)),
                price=TicketPrice(4_500, "EUR"),
            )
        )
    return OrderDocument(
        order_id=new_id("ord"),
        order_number="ORD-20260314-7KQ2XM",
        event_name="Die Zauberflöte",
        venue_name="Staatsoper Unter den Linden",
        venue_address="Unter den Linden 7, 10117 Berlin",
        starts_at=datetime(2026, 3, 14, 18, 30, tzinfo=UTC),
        time_zone="Europe/Berlin",
        tickets=tuple(faces),
        version=1,
    )


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run(tickets: int, orders: int, runs: int, warmup: int) -> dict[str, object]:
    batch = [sample_order(tickets) for _ in range(orders)]
    for _ in range(warmup):
        render_orders(batch)
    per_ticket_ms: list[float] = []
    size = 0
    started = time.perf_counter()
    for _ in range(runs):
        begin = time.perf_counter()
        size = len(render_orders(batch)[0].pdf)
        per_ticket_ms.append((time.perf_counter() - begin) * 1000 / (tickets * orders))
    elapsed = time.perf_counter() - started
    per_ticket_ms.sort()
    return {
        "tickets_per_order": tickets,
        "orders_per_layout": orders,
        "runs": runs,
        "pdf_bytes_per_order": size,
        "pdf_ms_per_ticket_p50": round(statistics.median(per_ticket_ms), 1),
        "pdf_ms_per_ticket_p99": round(percentile(per_ticket_ms, 0.99), 1),
        "tickets_per_s": round(tickets * orders * runs / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tickets", type=int, default=2, help="tickets in the order (pages)")
    parser.add_argument("--orders", type=int, default=1, help="orders laid out together")
    parser.add_argument("--runs", type=int, default=50, help="timed renders")
    parser.add_argument("--warmup", type=int, default=3, help="untimed renders first")
    args = parser.parse_args()
    if min(args.tickets, args.orders, args.runs) < 1:
        parser.error("--tickets, --orders and --runs must be at least 1")
    figures = run(args.tickets, args.orders, args.runs, args.warmup)
    print(
        f"{figures['orders_per_layout']} order(s) of {figures['tickets_per_order']} ticket(s) "
        f"per layout, {figures['runs']} renders: "
        f"p50 {figures['pdf_ms_per_ticket_p50']} ms/ticket, "
        f"p99 {figures['pdf_ms_per_ticket_p99']} ms/ticket, {figures['tickets_per_s']} tickets/s"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
