#!/usr/bin/env python3
"""PDF ticket rendering in one process (not a test; needs no running stack).

Renders ``--orders`` orders of ``--tickets`` tickets each together, into each order's PDF and
each ticket's, as the documents service does (one page per ticket, each with its QR code),
``--runs`` times after ``--warmup`` untimed renders, and reports the CPU time per ticket
(``ms_per_ticket``: this process's user + system time from ``/proc``, which other work on a
shared machine does not inflate) next to the wall-clock time.

Every order is of the same performance (as the orders of one sale are): its face is laid out
by WeasyPrint once, in the warm-up, and each ticket is stamped on it. ``--new-face-every N``
gives every N-th order a performance never seen before (its face laid out on the timed path);
``--full-layout`` lays every ticket out in full, as every render did before faces were kept.

    uv run python bench/render_tickets.py [--tickets 2] [--orders 1] [--runs 50] [--warmup 3]
                                          [--new-face-every N] [--full-layout]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cpu import TICKS_PER_S
from ticketing_documents.adapters import pdf_renderer
from ticketing_documents.adapters.pdf_renderer import RenderedOrder, render_orders
from ticketing_documents.domain.ticket_document import (
    OrderDocument,
    SeatLabel,
    TicketFace,
    TicketPrice,
)
from ticketing_orders.domain.tickets import TicketClaims, sign
from ticketing_runtime.ids import new_id


def sample_order(tickets: int, event_name: str = "Die Zauberflöte") -> OrderDocument:
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
        event_name=event_name,
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


def run(
    tickets: int, orders: int, runs: int, warmup: int, new_face_every: int, full_layout: bool
) -> dict[str, object]:
    render = _render_in_full if full_layout else render_orders
    batch = [sample_order(tickets) for _ in range(orders)]
    for _ in range(warmup):
        render(batch)
    per_ticket_ms: list[float] = []
    size = ticket_size = 0
    rendered = 0
    started, cpu_started = time.perf_counter(), _cpu_s()
    for run_index in range(runs):
        if new_face_every and run_index % new_face_every == 0:
            batch = [sample_order(tickets, f"Gala {new_id('evt')}"), *batch[1:]]
        begin = time.perf_counter()
        result = render(batch)
        per_ticket_ms.append((time.perf_counter() - begin) * 1000 / (tickets * orders))
        size, ticket_size = len(result[0].pdf), len(result[0].ticket_pdfs[0])
        rendered += tickets * orders
    elapsed, cpu_s = time.perf_counter() - started, _cpu_s() - cpu_started
    per_ticket_ms.sort()
    return {
        "tickets_per_order": tickets,
        "orders_per_layout": orders,
        "runs": runs,
        "new_face_every": new_face_every,
        "full_layout": full_layout,
        "ms_per_ticket": round(cpu_s * 1000 / rendered, 2),  # CPU
        "pdf_bytes_per_order": size,
        "pdf_bytes_per_ticket": ticket_size,
        "wall_ms_per_ticket_p50": round(statistics.median(per_ticket_ms), 1),
        "wall_ms_per_ticket_p99": round(percentile(per_ticket_ms, 0.99), 1),
        "tickets_per_s": round(rendered / elapsed, 1),
    }


def _cpu_s() -> float:
    """User + system CPU of this process (every thread), from /proc as ``bench/cpu.py`` reads."""
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S


def _render_in_full(batch: list[OrderDocument]) -> list[RenderedOrder]:
    """Every ticket laid out by WeasyPrint, none stamped (the renderer's own fallback path)."""
    with pdf_renderer._render_lock:
        return pdf_renderer._render_laid_out(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tickets", type=int, default=2, help="tickets in the order (pages)")
    parser.add_argument("--orders", type=int, default=1, help="orders laid out together")
    parser.add_argument("--runs", type=int, default=50, help="timed renders")
    parser.add_argument("--warmup", type=int, default=3, help="untimed renders first")
    parser.add_argument("--new-face-every", type=int, default=0, help="0: the same face")
    parser.add_argument("--full-layout", action="store_true", help="no face kept, no stamping")
    args = parser.parse_args()
    if min(args.tickets, args.orders, args.runs) < 1:
        parser.error("--tickets, --orders and --runs must be at least 1")
    figures = run(
        args.tickets, args.orders, args.runs, args.warmup, args.new_face_every, args.full_layout
    )
    print(
        f"{figures['orders_per_layout']} order(s) of {figures['tickets_per_order']} ticket(s) "
        f"rendered together, {figures['runs']} renders: {figures['ms_per_ticket']} ms CPU/ticket "
        f"(wall p50 {figures['wall_ms_per_ticket_p50']} ms, p99 "
        f"{figures['wall_ms_per_ticket_p99']} ms, {figures['tickets_per_s']} tickets/s)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
