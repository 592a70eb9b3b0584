#!/usr/bin/env python3
"""CPU per request of what a buyer's open page asks every few seconds (not a test): the
performance (its tiers and what is left), its seat states (which seats are taken), and, for
comparison, the whole seat map (asked once a page), measured from ``/proc`` while this process
drives the running stack, ``--concurrency`` buyers at a time as on sale day.

Sets up one seated show of ``--seats`` seats in one tier, then asks each read ``--requests``
times.

    uv run python bench/buyer_reads.py [--gateway URL] [--seats 20000] [--requests 400]

The last line printed is one JSON object with the figures (CPU ms per request, by group).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

import httpx

from cpu import CpuMeter
from show_setup import create_show

GROUPS = ("edge", "inventory", "redis", "postgres")


async def measured(
    client: httpx.AsyncClient, path: str, requests: int, concurrency: int
) -> dict[str, Any]:
    gate = asyncio.Semaphore(concurrency)

    async def read() -> None:
        async with gate:
            (await client.get(path)).raise_for_status()

    started = time.monotonic()
    with CpuMeter() as meter:
        await asyncio.gather(*(read() for _ in range(requests)))
    elapsed = time.monotonic() - started
    spent = meter.ms_by_group()
    return {
        "requests_per_s": round(requests / elapsed, 1),
        "cpu_ms_per_request": {g: round(spent.get(g, 0.0) / requests, 3) for g in GROUPS},
    }


async def run(
    gateway: str, seats: int, requests: int, concurrency: int, reads: set[str]
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=gateway, timeout=120, limits=limits) as client:
        performance_id, _ = await create_show(client, capacity=seats, seated=True)
        show = f"/v1/performances/{performance_id}"
        await client.get(show)  # warm: the first read loads what a process keeps
        paths = {
            "performance": (show, requests),
            "seat_states": (f"{show}/seat-states", requests),
            "seat_map_once_a_page": (f"{show}/seats", max(requests // 10, 1)),
        }
        figures = {
            name: await measured(client, path, count, concurrency)
            for name, (path, count) in paths.items()
            if name in reads
        }
    return {
        "benchmark": "buyer_reads",
        "seats": seats,
        "requests": requests,
        "concurrency": concurrency,
        **figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:28080")
    parser.add_argument("--seats", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--reads",
        default="performance,seat_states,seat_map_once_a_page",
        help="which to measure, comma-separated (an older stack has no seat_states)",
    )
    args = parser.parse_args()
    reads = set(args.reads.split(","))
    result = asyncio.run(run(args.gateway, args.seats, args.requests, args.concurrency, reads))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
