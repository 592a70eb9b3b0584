#!/usr/bin/env python3
"""The outbox alone: N events written through one service's outbox, relayed, consumed once.

A writer (this process, ``--writers`` concurrent transactions of one event each) commits events
through the runtime's unit of work into the outbox of a bench schema (``bench_outbox``, made
like a service's: its own role, outbox and inbox); the runtime's ``OutboxRelay`` (a process of
its own) publishes them with confirms; one ``EventConsumer`` (another process: inbox row, unit
of work, ack, as every service consumes) applies each. Needs the infrastructure of ``make up``
(PostgreSQL, RabbitMQ), not the services.

Lag is from the event's creation in the writer's transaction (just before its commit) to its
application by the consumer, on this machine's one clock. CPU is read from ``/proc`` for the
writer, the relay, the consumer, PostgreSQL and RabbitMQ (``bench/cpu.py``), per event
(``outbox_path_cpu_ms_per_event``; ``platform_cpu_ms_per_event`` adds whatever else of the
platform runs, e.g. idle services' pollers: stop them for a clean figure): unlike throughput,
it does not depend on what else the shared cores run.

    uv run python bench/outbox.py [--events 20000] [--writers 16] [--prefetch 32]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
from faststream.rabbit import RabbitBroker
from pydantic import SecretStr

from cpu import CpuMeter, per_unit
from ticketing_contracts import Event
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import Delivery, EventConsumer
from ticketing_runtime.database import Database
from ticketing_runtime.migrations import create_messaging_tables
from ticketing_runtime.relay import OutboxRelay
from ticketing_runtime.settings import ServiceSettings
from ticketing_runtime.telemetry import (
    adopt_library_loggers,
    configure_logging,
    configure_tracing,
)
from ticketing_runtime.topology import declare_consumer

SCHEMA = "bench_outbox"
PASSWORD = "bench_outbox_dev_password"  # dev default, like every service's
ADMIN_DATABASE_URL = os.environ.get(
    "TICKETING_ADMIN_DATABASE_URL",
    "postgresql://ticketing_admin:ticketing_admin_dev_password@127.0.0.1:28432/ticketing",
)
AMQP_URL = os.environ.get(
    "TICKETING_AMQP_URL", "amqp://ticketing:ticketing_dev_password@127.0.0.1:28672/ticketing"
)


OUTBOX_PATH = ("bench-relay", "bench-consumer", "postgres", "rabbitmq")


class BenchEventV1(Event):
    event_type = "bench.outbox.event.v1"
    source_service = SCHEMA
    subject_field = "n"

    n: int
    run: str  # this run's: events left in the queue by an interrupted run are not counted
    created: float  # time.time() in the writer's transaction


def settings(pool_size: int = 10) -> ServiceSettings:
    values: dict[str, object] = {
        "service_name": SCHEMA,
        "database_password": SecretStr(PASSWORD),
        "database_pool_size": pool_size,
        "amqp_url": SecretStr(AMQP_URL),
        "retry_delays_ms": [1000],
    }
    return ServiceSettings(**values)  # type: ignore[arg-type]


async def prepare_schema() -> None:
    admin = await asyncpg.connect(ADMIN_DATABASE_URL)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", SCHEMA):
            await admin.execute(f"CREATE ROLE {SCHEMA} LOGIN PASSWORD '{PASSWORD}'")
            await admin.execute(f"GRANT CONNECT ON DATABASE ticketing TO {SCHEMA}")
        await admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        await admin.execute(f"CREATE SCHEMA {SCHEMA} AUTHORIZATION {SCHEMA}")
    finally:
        await admin.close()
    database = Database(settings())
    async with database.engine.begin() as conn:
        await conn.run_sync(create_messaging_tables)
    await database.dispose()


# --- the relay and the consumer, each a process of its own ----------------------------------


def _as_a_service(service_settings: ServiceSettings) -> None:
    """Logs and traces as every service sets them up (JSON logs; spans when configured)."""
    configure_logging(service_settings)
    configure_tracing(service_settings)


async def run_relay() -> None:
    _as_a_service(settings())
    database = Database(settings())
    publisher = ConfirmedPublisher(AMQP_URL, "bench-outbox-relay")
    await publisher.connect()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await OutboxRelay(database, publisher).run(stop)
    await publisher.close()
    await database.dispose()


async def run_consumer(events: int, prefetch: int, folder: Path, run_id: str) -> None:
    _as_a_service(settings())
    database = Database(settings())
    consumer = EventConsumer(SCHEMA, "sink", database)
    lags_ms: list[float] = []
    done = asyncio.Event()

    @consumer.handles(BenchEventV1)
    async def apply(delivery: Delivery[BenchEventV1]) -> None:
        if delivery.event.run != run_id:
            return
        lags_ms.append((time.time() - delivery.event.created) * 1000)
        if len(lags_ms) >= events:
            done.set()

    publisher = ConfirmedPublisher(AMQP_URL, "bench-outbox-consumer")
    await publisher.connect()
    await declare_consumer(publisher.channel, consumer.queues, consumer.routing_keys)
    main_queue = await publisher.channel.declare_queue(consumer.queues.main, passive=True)
    await main_queue.purge()  # what an interrupted run left
    broker = RabbitBroker(AMQP_URL, graceful_timeout=5)
    consumer.attach(broker, publisher, prefetch=prefetch)
    await broker.start()
    adopt_library_loggers()
    (folder / "ready").touch()
    await done.wait()
    (folder / "consumed.json").write_text(json.dumps({"lags_ms": lags_ms, "at": time.time()}))
    await broker.stop()
    channel = await publisher.connection.channel()
    for queue in [consumer.queues.main, consumer.queues.parking_lot]:
        await channel.queue_delete(queue)
    for delay in consumer.queues.retry_delays_ms:
        await channel.queue_delete(f"{consumer.queues.main}.retry.{delay}ms")
    await publisher.close()
    await database.dispose()


# --- the writer and the figures ---------------------------------------------------------------


async def write(events: int, writers: int, run_id: str) -> tuple[float, float]:
    database = Database(settings(pool_size=writers))
    numbers = iter(range(events))

    async def writer() -> None:
        for n in numbers:
            async with database.unit_of_work() as uow:
                await uow.publish(BenchEventV1(n=n, run=run_id, created=time.time()))
                await uow.commit()

    started = time.time()
    await asyncio.gather(*(writer() for _ in range(writers)))
    finished = time.time()
    await database.dispose()
    return started, finished


def _spawn(role: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, __file__, "--role", role, *args])


async def _wait_for(path: Path, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not await asyncio.to_thread(path.exists):
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.05)


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


async def run(events: int, writers: int, prefetch: int, time_limit_s: float) -> dict[str, object]:
    await prepare_schema()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_id = folder.name
        consumer = _spawn(
            "consumer", "--events", str(events), "--prefetch", str(prefetch), tmp, run_id
        )
        relay = _spawn("relay")
        try:
            await _wait_for(folder / "ready", 300, "the consumer to start")
            roots = {relay.pid: "bench-relay", consumer.pid: "bench-consumer"}
            with CpuMeter(extra_roots=roots) as meter:
                started, written = await write(events, writers, run_id)
                await _wait_for(folder / "consumed.json", time_limit_s, "every event consumed")
            consumed = json.loads((folder / "consumed.json").read_text())
        finally:
            for process in (relay, consumer):
                process.terminate()
                process.wait(timeout=30)
    lags = sorted(consumed["lags_ms"])
    elapsed = consumed["at"] - started
    cpu = per_unit(meter, events)
    by_process: dict[str, float] = cpu["cpu_ms_by_process"]  # type: ignore[assignment]
    # the path itself: the writer (this process), relay, consumer, PostgreSQL, RabbitMQ
    path_ms = sum(by_process.get(g, 0.0) for g in (*OUTBOX_PATH, "loadgen"))
    return {
        "events": events,
        "writers": writers,
        "prefetch": prefetch,
        "written_per_s": round(events / (written - started), 1),
        "events_per_s": round(events / elapsed, 1),
        "lag_p50_ms": round(statistics.median(lags), 1),
        "lag_p99_ms": round(percentile(lags, 0.99), 1),
        "lag_max_ms": round(lags[-1], 1),
        "outbox_path_cpu_ms_per_event": round(path_ms / events, 3),
        "platform_cpu_ms_per_event": cpu["platform_cpu_ms_per_unit"],
        "harness_cpu_ms_per_event": cpu["harness_cpu_ms_per_unit"],
        "cpu_ms_by_process": cpu["cpu_ms_by_process"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--writers", type=int, default=16, help="concurrent transactions")
    parser.add_argument("--prefetch", type=int, default=32, help="consumer's unacked messages")
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds")
    parser.add_argument("--role", choices=["main", "relay", "consumer"], default="main")
    parser.add_argument("folder", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("run_id", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "relay":
        asyncio.run(run_relay())
        return
    if args.role == "consumer":
        asyncio.run(run_consumer(args.events, args.prefetch, Path(args.folder), args.run_id))
        return
    figures = asyncio.run(run(args.events, args.writers, args.prefetch, args.time_limit))
    print(
        f"{figures['events']} events: {figures['events_per_s']} events/s through outbox, relay "
        f"and consumer (written at {figures['written_per_s']}/s), lag p50 "
        f"{figures['lag_p50_ms']} ms, p99 {figures['lag_p99_ms']} ms; "
        f"{figures['outbox_path_cpu_ms_per_event']} ms CPU per event (writer, relay, consumer, "
        "PostgreSQL, RabbitMQ)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
