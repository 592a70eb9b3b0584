"""The outbox relay: publishes committed outbox rows with confirms, then marks them sent.

Safe with many replicas: a batch is claimed with ``FOR UPDATE SKIP LOCKED`` inside one
transaction that holds the row locks while publishing; rows are marked only after RabbitMQ
confirmed them. A relay killed between publish and mark rolls back, so the rows are published
again: delivery is at-least-once and consumers' inboxes make the effect exactly-once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from datetime import timedelta

import asyncpg
from opentelemetry import propagate, trace
from prometheus_client import Counter, Histogram
from sqlalchemy import delete, func

from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.database import Database
from ticketing_runtime.inbox import prune_inbox
from ticketing_runtime.outbox import decode_headers, outbox, outbox_channel

log = logging.getLogger(__name__)

PUBLISHED = Counter("ticketing_outbox_published_total", "Outbox rows published", ["service"])
PUBLISH_FAILURES = Counter(
    "ticketing_outbox_publish_failures_total", "Relay batches that failed to publish", ["service"]
)
LAG = Histogram(
    "ticketing_outbox_lag_seconds",
    "Time from commit to confirmed publish",
    ["service"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)


_CLAIM_BATCH = (
    "SELECT seq, message_id, routing_key, headers, body, created_at FROM outbox"
    " WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED"
)
_MARK_SENT = "UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])"


class OutboxRelay:
    def __init__(self, database: Database, publisher: ConfirmedPublisher) -> None:
        self._db = database
        self._publisher = publisher
        self._settings = database.settings
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None
        self._last_prune = 0.0
        # counters exist from the start (at 0), also when worker processes share /metrics
        PUBLISHED.labels(self._settings.service_name)
        PUBLISH_FAILURES.labels(self._settings.service_name)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; a batch in flight finishes first."""
        while not stop.is_set():
            await self._ensure_listener()
            try:
                published = await self.publish_batch()
            except Exception:
                PUBLISH_FAILURES.labels(self._settings.service_name).inc()
                log.warning("outbox relay batch failed; will retry", exc_info=True)
                published = 0
                await _wait_any(stop, None, self._settings.outbox_poll_interval_s)
                continue
            if published >= self._settings.outbox_batch_size:
                continue
            await self._maybe_prune()
            await _wait_any(stop, self._wake, self._settings.outbox_poll_interval_s)
            self._wake.clear()
        await self._close_listener()

    async def publish_batch(self) -> int:
        """Claim, publish and mark one batch; returns how many rows were published."""
        async with self._db.engine.connect() as pooled:
            # the relay's three statements on the pooled asyncpg connection itself, in asyncpg's
            # own transaction (SQLAlchemy runs nothing on it, so it has no transaction to end)
            connection = (await pooled.get_raw_connection()).driver_connection
            assert connection is not None
            async with connection.transaction():
                rows = await connection.fetch(_CLAIM_BATCH, self._settings.outbox_batch_size)
                if not rows:
                    return 0
                if not self._publisher.is_connected():
                    raise ConnectionError("broker connection is down; outbox rows wait")
                await self._publish_rows(rows)
                self._chaos_point("outbox_relay.after_publish")
                await connection.execute(_MARK_SENT, [row["seq"] for row in rows])
        service = self._settings.service_name
        PUBLISHED.labels(service).inc(len(rows))
        now = time.time()
        lag = LAG.labels(service)
        for row in rows:
            lag.observe(max(0.0, now - row["created_at"].timestamp()))
        return len(rows)

    async def _publish_rows(self, rows: list[asyncpg.Record]) -> None:
        """Every row of the batch in flight at once; returns when RabbitMQ confirmed them all."""
        tracer = trace.get_tracer("ticketing.outbox")
        sends = []
        for row in rows:
            headers = decode_headers(row["headers"])
            with tracer.start_as_current_span(
                f"publish {row['routing_key']}",
                context=propagate.extract(headers),
                kind=trace.SpanKind.PRODUCER,
                attributes={
                    "messaging.message.id": row["message_id"],
                    "messaging.system": "rabbitmq",
                },
            ):
                propagate.inject(headers)  # this span is the consumer's parent
                sends.append(
                    self._publisher.send(
                        routing_key=row["routing_key"],
                        body=bytes(row["body"]),
                        headers=headers,
                        message_id=row["message_id"],
                        correlation_id=headers.get("x-correlation-id"),
                    )
                )
        await self._publisher.confirmed(sends)

    def _chaos_point(self, name: str) -> None:
        if self._settings.chaos == name:
            log.warning("chaos: SIGKILL at %s", name)
            os.kill(os.getpid(), signal.SIGKILL)

    async def _maybe_prune(self) -> None:
        if time.monotonic() - self._last_prune < 300:
            return
        self._last_prune = time.monotonic()
        async with self._db.unit_of_work() as uow:
            retention = timedelta(seconds=self._settings.outbox_retention_s)
            await uow.session.execute(
                delete(outbox).where(outbox.c.published_at < func.now() - retention)
            )
            await prune_inbox(uow.session, timedelta(seconds=self._settings.inbox_retention_s))
            await uow.commit()

    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        settings = self._settings
        dsn = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
        try:
            self._listener = await asyncpg.connect(dsn, timeout=5)
            await self._listener.add_listener(
                outbox_channel(settings.database_schema), lambda *_: self._wake.set()
            )
        except (OSError, asyncpg.PostgresError, TimeoutError):
            log.warning("outbox LISTEN unavailable; polling only", exc_info=True)
            self._listener = None

    async def _close_listener(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event | None, timeout: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
