#!/usr/bin/env python3
"""Flash sale on one performance through the gateway (not a test).

Creates a published performance (one general-admission tier, or with ``--seats`` a seat map sold
best-available), then lets BUYERS concurrent buyers make ATTEMPTS hold attempts of 1-4 units
until supply runs out; then publishes ``order.paid`` for every hold (as the orders service will)
and reads the Postgres truth back through the admin reconciliation report.

    uv run python bench/flash_sale.py [--gateway URL] [--capacity 1000] [--attempts 3000]
                                      [--buyers 200] [--seats] [--rate N] [--addresses 50]

Buyers come from ADDRESSES loopback addresses (127.0.1.x), as real buyers come from many: the
edge limits hold placement and session minting per client address. CPU per hold (the edge,
inventory, gateway and Redis; the load generator apart) is read from /proc during the hold
phase. The last line printed is one JSON object with the figures.
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

from cpu import LOADGEN, CpuMeter
from show_setup import create_show, ok, staff_headers
from ticketing_contracts import Customer, Money, OrderPaidV1
from ticketing_contracts.events import IssuedTicket
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.outbox import envelope_for
from ticketing_runtime.settings import ServiceSettings

PLATFORM = ("edge", "inventory", "gateway", "redis")


def buyer_clients(args: argparse.Namespace) -> list[aiohttp.ClientSession]:
    """One aiohttp pool per source address (aiohttp costs less CPU per request than httpx:
    the load generator shares the machine's two cores with the stack)."""
    per_address = max(1, min(args.buyers, args.connections) // args.addresses)
    return [
        aiohttp.ClientSession(
            args.gateway,
            connector=aiohttp.TCPConnector(
                limit=per_address, local_addr=(f"127.0.1.{1 + n % 250}", 0)
            ),
        )
        for n in range(args.addresses)
    ]


async def mint(client: aiohttp.ClientSession) -> str:
    async with client.post("/v1/sessions") as answer:
        if answer.status != 201:
            raise SystemExit(f"POST /v1/sessions: {answer.status} {await answer.text()}")
        token: str = (await answer.json())["token"]
        return token


async def run(args: argparse.Namespace) -> dict[str, Any]:
    clients = buyer_clients(args)
    try:
        return await _run(args, clients)
    finally:
        for client in clients:
            await client.close()


async def _run(args: argparse.Namespace, clients: list[aiohttp.ClientSession]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=args.gateway, timeout=30) as client:
        performance_id, tier_id = await create_show(client, args.capacity, args.seats)
        pools = [clients[n % len(clients)] for n in range(args.buyers)]
        sessions = [(pool, await mint(pool)) for pool in pools]
        rng = random.Random(args.seed)
        queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
        for attempt in range(args.attempts):
            queue.put_nowait((attempt, rng.randint(1, 4)))
        latencies: list[float] = []
        holds: list[dict[str, Any]] = []
        refused: dict[str, int] = {}
        deadline = time.perf_counter() + args.time_limit

        async def buyer(pool: aiohttp.ClientSession, token: str) -> None:
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
                async with pool.post("/v1/holds", headers=headers, json=body) as answer:
                    payload = await answer.json(content_type=None)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status == 201:
                    holds.append(payload)
                else:
                    kind = payload.get("type", "?").rsplit("/", 1)[-1]
                    refused[kind] = refused.get(kind, 0) + 1

        begun = time.perf_counter()
        with CpuMeter() as meter:
            await asyncio.gather(*(buyer(*pair) for pair in sessions))
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
        **cpu_per_hold(meter, len(latencies)),
        "capacity": args.capacity,
        "held": held_units,
        "sold": sold,
        "oversold": max(0, sold - args.capacity) + report["oversold"],
        "unsold_at_end": args.capacity - sold,
        "refusals": refused,
        "reconciliation_differences": report["differences"],
    }


def cpu_per_hold(meter: CpuMeter, attempts: int) -> dict[str, Any]:
    """CPU per hold request during the hold phase: the platform's (edge, inventory, gateway,
    Redis), the load generator's, and every group's total."""
    by_group = meter.ms_by_group()
    attempts = max(attempts, 1)
    platform = sum(by_group.get(group, 0.0) for group in PLATFORM)
    return {
        "platform_cpu_ms_per_hold": round(platform / attempts, 3),
        "loadgen_cpu_ms_per_hold": round(by_group.get(LOADGEN, 0.0) / attempts, 3),
        "cpu_ms_per_hold_by_process": {g: round(v / attempts, 3) for g, v in by_group.items()},
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
        answer = await client.get(
            "/v1/admin/inventory/reconciliation",
            headers=admin,
            params={"performance_id": performance_id},
        )
        if answer.status_code in (502, 503, 504):  # a busy machine: ask again
            continue
        report = await ok(answer)
        sold = sum(t["sold"] for t in report["tiers"] if t["performance_id"] == performance_id)
        if sold >= held_units:
            break
        await asyncio.sleep(0.5)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:28080")
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
        "--addresses", type=int, default=50, help="loopback source addresses the buyers use"
    )
    parser.add_argument(
        "--time-limit", type=float, default=120.0, help="seconds for the hold phase"
    )
    figures = asyncio.run(run(parser.parse_args()))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
