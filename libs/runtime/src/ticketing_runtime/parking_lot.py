"""Listing and replaying parked messages (the admin API and the CLI both use this)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from aio_pika.abc import AbstractIncomingMessage
from pydantic import BaseModel

from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import ATTEMPT_HEADER
from ticketing_runtime.topology import ConsumerQueues

PARKING_HEADERS = (
    "x-parked-reason",
    "x-parked-at",
    "x-parked-by",
    "x-origin-queue",
    "x-last-error",
)


class ParkedMessage(BaseModel):
    message_id: str | None
    event_type: str | None
    consumer_queue: str
    reason: str | None
    parked_at: str | None
    attempts: int | None
    headers: dict[str, str]
    body: str


class ReplayResult(BaseModel):
    replayed: list[str | None]
    remaining: int


async def _take(
    publisher: ConfirmedPublisher, queue: str, limit: int
) -> tuple[Any, list[AbstractIncomingMessage]]:
    """Take up to ``limit`` messages unacknowledged on a fresh channel (closing it requeues)."""
    channel = await publisher.connection.channel()
    source = await channel.get_queue(queue, ensure=True)
    taken: list[AbstractIncomingMessage] = []
    while len(taken) < limit:
        message = await source.get(no_ack=False, fail=False)
        if message is None:
            break
        taken.append(message)
    return channel, taken


def _describe(queue: str, message: AbstractIncomingMessage) -> ParkedMessage:
    headers = {
        k: (v.decode(errors="replace") if isinstance(v, bytes) else str(v))
        for k, v in (message.headers or {}).items()
    }
    return ParkedMessage(
        message_id=message.message_id,
        event_type=headers.get("ce-type"),
        consumer_queue=queue,
        reason=headers.get("x-parked-reason"),
        parked_at=headers.get("x-parked-at"),
        attempts=int(attempts) if (attempts := headers.get(ATTEMPT_HEADER, "")).isdigit() else None,
        headers=headers,
        body=message.body.decode(errors="replace"),
    )


async def list_parked(
    publisher: ConfirmedPublisher, queues: ConsumerQueues, limit: int = 100
) -> list[ParkedMessage]:
    channel, taken = await _take(publisher, queues.parking_lot, limit)
    try:
        return [_describe(queues.main, m) for m in taken]
    finally:
        await channel.close()


async def replay_parked(
    publisher: ConfirmedPublisher,
    queues: ConsumerQueues,
    message_ids: Collection[str] | None = None,
    limit: int = 1000,
    batches: int = 50,
) -> ReplayResult:
    """Send parked messages back to their consumer queue with a fresh attempt count: the named
    ones, or all (``limit`` at a time, at most ``batches`` times: a message that fails again at
    once is parked again, and must not keep the loop going). ``remaining``: what is still in the
    parking lot afterwards, as the broker counts it."""
    replayed: list[str | None] = []
    for _ in range(1 if message_ids is not None else batches):
        taken = await _replay_batch(publisher, queues, message_ids, limit, replayed)
        if taken < limit:
            break
    return ReplayResult(replayed=replayed, remaining=await _depth(publisher, queues.parking_lot))


async def _replay_batch(
    publisher: ConfirmedPublisher,
    queues: ConsumerQueues,
    message_ids: Collection[str] | None,
    limit: int,
    replayed: list[str | None],
) -> int:
    """One batch taken from the parking lot and replayed (into ``replayed``); how many taken."""
    channel, taken = await _take(publisher, queues.parking_lot, limit)
    try:
        for message in taken:
            if message_ids is not None and message.message_id not in message_ids:
                continue
            headers = {
                k: v
                for k, v in (message.headers or {}).items()
                if k not in PARKING_HEADERS and k != "x-death"
            }
            headers[ATTEMPT_HEADER] = 1
            await publisher.publish(
                exchange="",
                routing_key=queues.main,
                body=message.body,
                headers=headers,
                message_id=message.message_id,
                correlation_id=message.correlation_id,
                content_type=message.content_type or "application/json",
            )
            await message.ack()
            replayed.append(message.message_id)
    finally:
        await channel.close()
    return len(taken)


async def _depth(publisher: ConfirmedPublisher, queue: str) -> int:
    """Messages in ``queue`` (a passive declaration: the queue must exist)."""
    channel = await publisher.connection.channel()
    try:
        declared = await channel.declare_queue(queue, passive=True)
        return int(declared.declaration_result.message_count or 0)
    finally:
        await channel.close()


async def discard_parked(
    publisher: ConfirmedPublisher, queues: ConsumerQueues, message_ids: Collection[str]
) -> list[str | None]:
    """Delete the named parked messages for good (staff decided they are garbage)."""
    channel, taken = await _take(publisher, queues.parking_lot, 10_000)
    discarded: list[str | None] = []
    try:
        for message in taken:
            if message.message_id in message_ids:
                await message.ack()
                discarded.append(message.message_id)
    finally:
        await channel.close()
    return discarded
