#!/usr/bin/env python3
"""Event round trip through the whole platform (not a test).

Each probe is one gateway request that writes an outbox row; the relay publishes it; all five
services apply it (inbox) and answer through their own outbox; the gateway records the answers.
Latency = from the probe's commit to the last service's answer (the services' own timestamps,
so that this process can poll gently and not load the 2 cores it shares with the stack).

    uv run python bench/event_roundtrip.py [--gateway URL] [--probes 300] [--concurrency 20]

The last line printed is one JSON object with the figures, among them the CPU spent during the
run, read from ``/proc`` (``bench/cpu.py``), per consumer application:
platform_cpu_ms_per_application (services, PostgreSQL, RabbitMQ, Redis, the edge) and
harness_cpu_ms_per_application (this load generator), with cpu_ms_by_process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import httpx

from cpu import CpuMeter, per_unit
from ticketing_gateway.domain.tokens import mint_staff
from ticketing_gateway.entrypoints.main import signer
from ticketing_gateway.settings import GatewaySettings


async def one_probe(client: httpx.AsyncClient, headers: dict[str, str], deadline: float) -> float:
    created = await client.post("/v1/admin/probes", headers=headers)
    created.raise_for_status()
    url = f"/v1/admin/probes/{created.json()['probe_id']}"
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.25)
        probe = (await client.get(url, headers=headers)).json()
        if probe["complete"]:
            return float(max(probe["answers"].values()))
    raise TimeoutError(url)


async def run(
    gateway: str, probes: int, concurrency: int, time_limit_s: float
) -> dict[str, object]:
    token = mint_staff(signer(GatewaySettings()), "bench", {"admin"}, 3600)
    headers = {"Authorization": f"Bearer {token.token}"}
    limits = httpx.Limits(max_connections=concurrency * 2)
    semaphore = asyncio.Semaphore(concurrency)
    deadline = time.perf_counter() + time_limit_s
    async with httpx.AsyncClient(base_url=gateway, timeout=30, limits=limits) as client:

        async def bounded() -> float | None:
            async with semaphore:
                try:
                    return await one_probe(client, headers, deadline)
                except (httpx.HTTPError, TimeoutError):
                    return None

        started = time.perf_counter()
        with CpuMeter() as meter:
            results = await asyncio.gather(*(bounded() for _ in range(probes)))
        elapsed = time.perf_counter() - started
    latencies = sorted(r for r in results if r is not None)
    applications = len(latencies) * 10  # five probe deliveries and five answers per probe
    cpu = per_unit(meter, applications)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "benchmark": "event_roundtrip",
        "probes": probes,
        "concurrency": concurrency,
        "failed": probes - len(latencies),
        "round_trips_per_s": round(len(latencies) / elapsed, 1),
        "events_applied_per_s": round(applications / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "platform_cpu_ms_per_application": cpu["platform_cpu_ms_per_unit"],
        "harness_cpu_ms_per_application": cpu["harness_cpu_ms_per_unit"],
        "cpu_ms_by_process": cpu["cpu_ms_by_process"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gateway", default="http://127.0.0.1:28080")
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds, whole run")
    args = parser.parse_args()
    figures = asyncio.run(run(args.gateway, args.probes, args.concurrency, args.time_limit))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
