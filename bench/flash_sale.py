#!/usr/bin/env python3
"""Flash sale on one performance through the gateway (not a test).

Creates a published performance (one general-admission tier, or with ``--seats`` a seat map sold
best-available), then lets BUYERS concurrent buyers make ATTEMPTS hold attempts of 1-4 units
until supply runs out; then publishes ``order.paid`` for every hold (as the orders service will)
and reads the Postgres truth back through the admin reconciliation report.

    uv run python bench/flash_sale.py [--gateway URL] [--capacity 1000] [--attempts 3000]
                                      [--buyers 200] [--seats] [--rate N]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import aiohttp
import httpx

from show_setup import create_show, ok, staff_headers
from ticketing_contracts import Customer, Money, OrderPaidV1
from ticketing_contracts.events import IssuedTicket
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.outbox import envelope_for
from ticketing_runtime.settings import ServiceSettings


async def run(args: argparse.Namespace) -> dict[str, Any]:
    # set-up and read-back with httpx; the hold phase with aiohttp, whose pool costs less CPU
    # per request (the load generator shares the machine's two cores with the stack)
    connector = aiohttp.TCPConnector(limit=min(args.buyers, args.connections))
    async with (
        httpx.AsyncClient(base_url=args.gateway, timeout=30) as client,
        aiohttp.ClientSession(args.gateway, connector=connector) as buyers,
    ):
        performance_id, tier_id = await create_show(client, args.capacity, args.seats)
        sessions = [
            (await ok(await client.post("/v1/sessions")))["token"] for _ in range(args.buyers)
        ]
        rng = random.Random(args.seed)
        queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
        for attempt in range(args.attempts):
            queue.put_nowait((attempt, rng.randint(1, 4)))
        latencies: list[float] = []
        holds: list[dict[str, Any]] = []
        refused: dict[str, int] = {}
        deadline = time.perf_counter() + args.time_limit

        async def buyer(token: str) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            while not queue.empty() and time.perf_counter() < deadline:
                attempt, quantity = queue.get_nowait()
                body: dict[str, Any] = {"performance_id": performance_id}
                if args.seats:
                    body["best_available"] = {"quantity": quantity}
                else:
                    body["tiers"] = [{"tier_id": tier_id, "quantity": quantity}]
                started = time.perf_counter()
                if args.rate:  # open loop: latency counts from the attempt's planned start
                    planned = begun + attempt / args.rate
                    await asyncio.sleep(planned - started)
                    started = planned
                async with buyers.post("/v1/holds", headers=headers, json=body) as answer:
                    payload = await answer.json(content_type=None)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status == 201:
                    holds.append(payload)
                else:
                    kind = payload.get("type", "?").rsplit("/", 1)[-1]
                    refused[kind] = refused.get(kind, 0) + 1

        begun = time.perf_counter()
        await asyncio.gather(*(buyer(token) for token in sessions))
        elapsed = time.perf_counter() - begun
        held_units = sum(h["quantity"] for h in holds)
        await sell(holds, performance_id)
        report = await settle(client, performance_id, held_units)
    cuts = statistics.quantiles(latencies, n=100)
    sold = sum(t["sold"] for t in report["tiers"] if t["performance_id"] == performance_id)
    return {
        "benchmark": "flash_sale" + ("_seats" if args.seats else ""),
        "attempts": len(latencies),
        "buyers": args.buyers,
        "offered_per_s": args.rate or None,
        "holds_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "capacity": args.capacity,
        "held": held_units,
        "sold": sold,
        "oversold": max(0, sold - args.capacity) + report["oversold"],
        "unsold_at_end": args.capacity - sold,
        "refusals": refused,
        "reconciliation_differences": report["differences"],
    }


async def sell(holds: list[dict[str, Any]], performance_id: str) -> None:
    """Publish ``order.paid`` for every hold, as the orders service does after payment."""
    publisher = ConfirmedPublisher(
        ServiceSettings(service_name="bench").amqp_url.get_secret_value(), "bench"
    )
    await publisher.connect()
    for hold in holds:
        event = OrderPaidV1(
            order_id=f"ord_{uuid.uuid4().hex}",
            order_number="BENCH",
            hold_id=hold["hold_id"],
            performance_id=performance_id,
            customer=Customer(name="Bench", email="bench@example.test"),
            total=Money(amount=0, currency="EUR"),
            payment_intent_id="pi_bench",
            tickets=[
                IssuedTicket(
                    ticket_id=f"tkt_{uuid.uuid4().hex}",
                    ticket_number="B",
                    tier_id=line["tier_id"],
                    seat_id=seat,
                )
                for line in hold["lines"]
                for seat in (line["seat_ids"] or [None] * line["quantity"])
            ],
            paid_at=datetime.now(UTC),
        )
        envelope = envelope_for(event, source="bench")
        await publisher.publish(
            routing_key=event.event_type,
            body=event.model_dump_json().encode(),
            headers=envelope.to_headers(),
            message_id=envelope.id,
        )
    await publisher.close()


async def settle(client: httpx.AsyncClient, performance_id: str, held_units: int) -> dict[str, Any]:
    admin = staff_headers("admin")
    deadline = time.perf_counter() + 120
    report: dict[str, Any] = {}
    while time.perf_counter() < deadline:
        report = await ok(
            await client.get(
                "/v1/admin/inventory/reconciliation",
                headers=admin,
                params={"performance_id": performance_id},
            )
        )
        sold = sum(t["sold"] for t in report["tiers"] if t["performance_id"] == performance_id)
        if sold >= held_units:
            break
        await asyncio.sleep(0.5)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:58080")
    parser.add_argument("--capacity", type=int, default=1000)
    parser.add_argument("--attempts", type=int, default=3000)
    parser.add_argument("--buyers", type=int, default=200)
    parser.add_argument("--seats", action="store_true", help="a seat map sold best-available")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="attempts per second offered (open loop, at most BUYERS in flight); "
        "default 0: every buyer tries again as soon as answered (closed loop)",
    )
    parser.add_argument(
        "--connections", type=int, default=200, help="HTTP connections shared by the buyers"
    )
    parser.add_argument(
        "--time-limit", type=float, default=120.0, help="seconds for the hold phase"
    )
    figures = asyncio.run(run(parser.parse_args()))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
