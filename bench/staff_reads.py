#!/usr/bin/env python3
"""CPU per request of the staff APIs (not a test): order search, the sales summary, and offline
scan uploads, measured from ``/proc`` while this process drives the running stack.

Sets up one general-admission show and sells ``--tickets`` tickets at the box office (no
Stripe), then runs each read ``--requests`` times one after another and uploads every ticket as
an offline scan in batches of 50 (then the same batches again: replays).

    uv run python bench/staff_reads.py [--gateway URL] [--requests 200] [--tickets 200]

The last line printed is one JSON object with the figures (CPU ms per request, by group).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from cpu import CpuMeter
from show_setup import create_show, ok, staff_headers

GROUPS = ("gateway", "orders", "inventory", "postgres")


async def sell(client: httpx.AsyncClient, performance_id: str, tier_id: str, n: int) -> list[Any]:
    clerk = staff_headers("staff")
    tickets: list[Any] = []
    for _ in range(n // 4):  # the show's most per order
        hold = await ok(
            await client.post(
                "/v1/holds",
                headers=clerk,
                json={
                    "performance_id": performance_id,
                    "tiers": [{"tier_id": tier_id, "quantity": 4}],
                },
            )
        )
        sale = await ok(
            await client.post(
                "/v1/orders/box-office",
                headers={**clerk, "Idempotency-Key": str(uuid.uuid4())},
                json={
                    "hold_id": hold["hold_id"],
                    "customer": {"name": "Bench Buyer", "email": "bench-desk@example.com"},
                    "payment_method": "cash",
                },
            )
        )
        tickets += sale["tickets"]
    return tickets


async def measured(n: int, call: Callable[[], Awaitable[None]]) -> dict[str, float]:
    with CpuMeter() as meter:
        for _ in range(n):
            await call()
    spent = meter.ms_by_group()
    return {g: round(spent.get(g, 0.0) / n, 2) for g in GROUPS}


async def run(gateway: str, requests: int, tickets: int) -> dict[str, Any]:
    staff, scanner = staff_headers("staff"), staff_headers("scanner")
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        performance_id, tier_id = await create_show(client, capacity=tickets, seated=False)
        sold = await sell(client, performance_id, tier_id, tickets)

        async def get(path: str, params: dict[str, str]) -> None:
            (await client.get(path, headers=staff, params=params)).raise_for_status()

        search_email = await measured(
            requests, lambda: get("/v1/orders", {"email": "BENCH-DESK@example.com"})
        )
        search_show = await measured(
            requests, lambda: get("/v1/orders", {"performance_id": performance_id})
        )
        summary = await measured(
            requests, lambda: get("/v1/orders/sales-summary", {"performance_id": performance_id})
        )
        batches = [sold[i : i + 50] for i in range(0, len(sold), 50)]
        nonces = [[str(uuid.uuid4()) for _ in b] for b in batches]
        at = datetime.now(UTC).isoformat()

        async def upload(k: int) -> None:
            scans = [
                {"nonce": nonce, "secret": t["secret"], "scanned_at": at}
                for nonce, t in zip(nonces[k], batches[k], strict=True)
            ]
            body = {"device_id": "bench", "performance_id": performance_id, "scans": scans}
            answer = await client.post("/v1/checkin/offline-scans", headers=scanner, json=body)
            answer.raise_for_status()

        rounds = iter(range(len(batches)))
        first = await measured(len(batches), lambda: upload(next(rounds)))
        rounds = iter(range(len(batches)))
        replay = await measured(len(batches), lambda: upload(next(rounds)))
    per_scan = {g: round(v / 50, 2) for g, v in first.items()}
    per_replayed = {g: round(v / 50, 2) for g, v in replay.items()}
    return {
        "benchmark": "staff_reads",
        "requests": requests,
        "tickets": len(sold),
        "cpu_ms_per_search_by_email": search_email,
        "cpu_ms_per_search_by_performance": search_show,
        "cpu_ms_per_sales_summary": summary,
        "cpu_ms_per_offline_scan": per_scan,
        "cpu_ms_per_replayed_scan": per_replayed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:28080")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.gateway, args.requests, args.tickets))))


if __name__ == "__main__":
    main()
