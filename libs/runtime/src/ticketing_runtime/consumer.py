"""Consumers: decode the envelope, apply the event once (inbox) inside one unit of work, ack.

A failing handler is retried through delay queues with growing delays, then parked (unless it
failed on an outage of the service's own infrastructure: retried until it is over); a message
that cannot be read at all (no envelope, unknown type, invalid body) is parked at once. Nothing
is dropped: the original is acknowledged only after its copy was confirmed by RabbitMQ.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from aio_pika.abc import AbstractIncomingMessage
from faststream.middlewares import AckPolicy
from faststream.rabbit import Channel, QueueType, RabbitBroker, RabbitMessage, RabbitQueue
from opentelemetry import propagate, trace
from prometheus_client import Counter, Histogram
from pydantic import ValidationError

from ticketing_contracts import Envelope, EnvelopeError, Event
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.correlation import current_correlation_id
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.inbox import claim_message
from ticketing_runtime.outages import is_outage
from ticketing_runtime.topology import ConsumerQueues, consumer_queues

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-attempt"
# a message that could not be moved (the broker refuses publishes: an alarm, a lost channel) is
# requeued after this pause, not at once: it would come straight back and run its handler again
REQUEUE_AFTER_S = 1.0
E = TypeVar("E", bound=Event)

CONSUMED = Counter(
    "ticketing_messages_consumed_total",
    "Messages handled by consumers, by outcome (applied, duplicate, retried, parked)",
    ["consumer", "event_type", "outcome"],
)
HANDLE_SECONDS = Histogram(
    "ticketing_message_handle_seconds", "Time to apply one message", ["consumer", "event_type"]
)


@dataclass(frozen=True)
class Delivery(Generic[E]):
    """What a handler receives: the event, its envelope, and the transaction to act in."""

    event: E
    envelope: Envelope
    uow: UnitOfWork
    attempt: int


Handler = Callable[[Delivery[Any]], Awaitable[None]]


async def _undecoded(message: RabbitMessage) -> AbstractIncomingMessage:
    """The delivery itself, body undecoded, as the handler's one argument: FastStream's own JSON
    decoding would choke on poison, and a ``message: RabbitMessage`` parameter is resolved from
    FastStream's context by a synchronous dependency, which FastDepends runs in a worker thread
    under a task group for every message (a seventh of a consumer's CPU in the profile)."""
    raw: AbstractIncomingMessage = message.raw_message
    return raw


class PoisonMessage(ValueError):
    """A message that no retry can make readable."""


class EventConsumer:
    """One consumer group of a service: one quorum queue bound to the event types it handles."""

    def __init__(self, service: str, name: str, database: Database) -> None:
        self.name = f"{service}.{name}"
        self.queues: ConsumerQueues = consumer_queues(
            service, name, database.settings.retry_delays_ms
        )
        self._db = database
        self._max_attempts = database.settings.max_attempts
        self._handlers: dict[str, tuple[type[Event], Handler]] = {}
        self._publisher: ConfirmedPublisher | None = None

    def handles(self, model: type[E]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._handlers[model.event_type] = (model, handler)
            return handler

        return register

    @property
    def routing_keys(self) -> list[str]:
        return sorted(self._handlers)

    def attach(self, broker: RabbitBroker, publisher: ConfirmedPublisher, prefetch: int) -> None:
        """Subscribe on the FastStream broker (the queue is declared by the topology step)."""
        self._publisher = publisher
        handled = ", ".join(self.routing_keys)

        @broker.subscriber(
            RabbitQueue(self.queues.main, queue_type=QueueType.QUORUM, declare=False),
            ack_policy=AckPolicy.MANUAL,
            channel=Channel(prefetch_count=prefetch),
            decoder=_undecoded,
            title=f"{self.queues.main}:consume",
            description=f"Consumer group {self.name} (the platform's own: other teams bind a"
            f" queue of their own, never consume from this one); handles {handled}",
        )
        async def on_message(raw: Any) -> None:  # what ``_undecoded`` gives
            await self.process(raw)

    async def process(self, raw: AbstractIncomingMessage) -> None:
        headers: dict[str, Any] = dict(raw.headers or {})
        attempt = _attempt(headers)
        try:
            envelope, event, handler = self._decode(raw, headers)
        except Exception as exc:  # whatever a stranger sent: parked, never left unacked
            why = str(exc) if isinstance(exc, PoisonMessage) else f"{type(exc).__name__}: {exc}"
            await self._move(raw, self.queues.parking_lot, headers, attempt, f"unreadable: {why}")
            CONSUMED.labels(self.name, self._known_type(headers), "parked").inc()
            return
        token = current_correlation_id.set(envelope.correlation_id)
        started = time.perf_counter()
        try:
            with trace.get_tracer("ticketing.consumer").start_as_current_span(
                f"consume {envelope.type}",
                context=propagate.extract(headers),
                kind=trace.SpanKind.CONSUMER,
                attributes={"messaging.message.id": envelope.id, "messaging.consumer": self.name},
            ):
                outcome = await self._apply(envelope, event, handler, attempt)
        except Exception as exc:
            await self._retry_or_park(raw, headers, attempt, exc, envelope)
            return
        finally:
            current_correlation_id.reset(token)
        HANDLE_SECONDS.labels(self.name, envelope.type).observe(time.perf_counter() - started)
        CONSUMED.labels(self.name, envelope.type, outcome).inc()
        await raw.ack()

    def _known_type(self, headers: dict[str, Any]) -> str:
        """The message's type as a metric label: one this group handles, else ``unknown`` (a
        stranger's types would each add a series to every scrape)."""
        claimed = headers.get("ce-type")
        return claimed if isinstance(claimed, str) and claimed in self._handlers else "unknown"

    def _decode(
        self, raw: AbstractIncomingMessage, headers: dict[str, Any]
    ) -> tuple[Envelope, Event, Handler]:
        try:
            envelope = Envelope.from_headers(headers, raw.content_type)
        except EnvelopeError as exc:
            raise PoisonMessage(str(exc)) from exc
        if envelope.type not in self._handlers:
            raise PoisonMessage(f"consumer {self.name} has no handler for {envelope.type!r}")
        model, handler = self._handlers[envelope.type]
        try:
            event = model.model_validate_json(raw.body)
        except ValidationError as exc:
            raise PoisonMessage(f"body is not a valid {envelope.type}: {exc}") from exc
        return envelope, event, handler

    async def _apply(self, envelope: Envelope, event: Event, handler: Handler, attempt: int) -> str:
        async with self._db.unit_of_work() as uow:
            fresh = await claim_message(
                uow.session, message_id=envelope.id, consumer=self.name, event_type=envelope.type
            )
            if not fresh:
                log.info("duplicate %s %s skipped", envelope.type, envelope.id)
                return "duplicate"
            await handler(Delivery(event=event, envelope=envelope, uow=uow, attempt=attempt))
            await uow.commit()
        log.info(
            "applied %s",
            envelope.type,
            extra={"fields": {"message_id": envelope.id, "consumer": self.name}},
        )
        return "applied"

    async def _retry_or_park(
        self,
        raw: AbstractIncomingMessage,
        headers: dict[str, Any],
        attempt: int,
        exc: Exception,
        envelope: Envelope,
    ) -> None:
        reason = f"{type(exc).__name__}: {exc}"[:1000]
        if attempt >= self._max_attempts and is_outage(exc):
            # nothing wrong with the message: it waits out the outage at the longest delay
            log.warning(
                "attempt %d of %s %s failed on an outage, retried until it is over: %s",
                attempt,
                envelope.type,
                envelope.id,
                reason,
            )
            retry_headers = {**headers, ATTEMPT_HEADER: attempt, "x-last-error": reason}
            await self._move(raw, self.queues.retry(attempt), retry_headers, attempt, None)
            CONSUMED.labels(self.name, envelope.type, "retried").inc()
            return
        if attempt >= self._max_attempts:
            log.error(
                "parking %s %s after %d attempts: %s", envelope.type, envelope.id, attempt, reason
            )
            await self._move(raw, self.queues.parking_lot, headers, attempt, reason)
            CONSUMED.labels(self.name, envelope.type, "parked").inc()
            return
        log.warning("attempt %d of %s %s failed: %s", attempt, envelope.type, envelope.id, reason)
        retry_headers = {**headers, ATTEMPT_HEADER: attempt + 1, "x-last-error": reason}
        await self._move(raw, self.queues.retry(attempt), retry_headers, attempt, None)
        CONSUMED.labels(self.name, envelope.type, "retried").inc()

    async def _move(
        self,
        raw: AbstractIncomingMessage,
        queue: str,
        headers: dict[str, Any],
        attempt: int,
        parked_reason: str | None,
    ) -> None:
        """Copy the message to ``queue`` (confirmed), then ack the original; requeue on failure."""
        assert self._publisher is not None
        if parked_reason is not None:
            headers = {
                **headers,
                "x-parked-reason": parked_reason,
                "x-parked-at": datetime.now(UTC).isoformat(),
                "x-parked-by": self.name,
                "x-origin-queue": self.queues.main,
                ATTEMPT_HEADER: attempt,
            }
        headers.pop("x-death", None)
        try:
            await self._publisher.publish(
                exchange="",
                routing_key=queue,
                body=raw.body,
                headers=headers,
                message_id=raw.message_id,
                correlation_id=raw.correlation_id,
                content_type=raw.content_type or "application/json",
            )
        except Exception:
            log.exception("could not move message to %s; requeueing it", queue)
            await asyncio.sleep(REQUEUE_AFTER_S)
            await raw.nack(requeue=True)
            return
        await raw.ack()


def _attempt(headers: dict[str, Any]) -> int:
    """Which delivery this is: 1 when the header is missing or not a number (not ours)."""
    try:
        return max(1, int(headers.get(ATTEMPT_HEADER, 1)))
    except (TypeError, ValueError):
        return 1
