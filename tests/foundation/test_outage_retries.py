"""A handler that fails on an outage of its own infrastructure is retried until the outage is
over, never parked; any other failure is parked after the last retry, as before."""

from __future__ import annotations

import asyncio
import builtins

import asyncpg
import httpx
import pytest
import redis.exceptions
import sqlalchemy.exc

from tests.foundation.conftest import ConsumerFactory
from tests.support import runtime_harness as harness
from tests.support.runtime_harness import RuntimeProbeV1
from tests.support.waiting import eventually
from ticketing_runtime.broker import ConfirmedPublisher
from ticketing_runtime.consumer import Delivery, EventConsumer
from ticketing_runtime.database import Database
from ticketing_runtime.internal_http import ServiceUnavailable
from ticketing_runtime.outages import WaitForRecovery, is_outage
from ticketing_runtime.parking_lot import list_parked
from ticketing_runtime.relay import OutboxRelay

DELAYS_MS = [50, 100]  # three attempts, then the last delay for as long as the outage lasts


def _wrapped(driver_error: BaseException) -> sqlalchemy.exc.DBAPIError:
    """What SQLAlchemy raises around a driver's error."""
    return sqlalchemy.exc.DBAPIError("SELECT 1", None, driver_error)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [
        WaitForRecovery("Redis not loaded yet"),
        builtins.ConnectionRefusedError(111, "refused"),
        builtins.TimeoutError(),
        sqlalchemy.exc.TimeoutError("QueuePool limit reached"),
        _wrapped(asyncpg.exceptions.CannotConnectNowError("the database system is starting up")),
        _wrapped(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed")),
        redis.exceptions.ConnectionError("Connection refused"),
        redis.exceptions.BusyLoadingError("Redis is loading the dataset"),
    ],
)
def test_an_outage_is_told_apart_from_a_bad_message(error: BaseException) -> None:
    assert is_outage(error)


def _peer_down() -> BaseException:
    """Another service refusing the connection, as the internal client raises it."""
    try:
        try:
            raise ConnectionRefusedError(111, "refused")
        except ConnectionRefusedError as refused:
            raise httpx.ConnectError("connection refused") from refused
    except httpx.ConnectError as failed:
        return ServiceUnavailable(f"GET /internal/x: {failed}")


def _raised_while_handling() -> BaseException:
    try:
        raise ConnectionResetError(104, "reset")
    except ConnectionResetError:
        return ValueError("a bug in the fallback")  # its __context__ is the reset


@pytest.mark.parametrize(
    "error",
    [
        _peer_down(),  # theirs: parked after the last retry (a wrong URL is not waited out)
        _raised_while_handling(),
        RuntimeError("a bug"),
        ValueError("not a seat"),
        _wrapped(asyncpg.exceptions.UniqueViolationError("duplicate key")),
        PermissionError("not allowed"),
    ],
)
def test_a_bad_message_or_a_bug_is_no_outage(error: BaseException) -> None:
    assert not is_outage(error)


@pytest.mark.infra
async def test_a_message_failing_on_an_outage_waits_it_out_instead_of_being_parked(
    runtime_db: Database, publisher: ConfirmedPublisher, start_consumer: ConsumerFactory
) -> None:
    attempts: list[int] = []
    applied: list[int] = []
    recovered = asyncio.Event()

    def configure(consumer: EventConsumer) -> None:
        @consumer.handles(RuntimeProbeV1)
        async def on_probe(delivery: Delivery[RuntimeProbeV1]) -> None:
            attempts.append(delivery.attempt)
            if not recovered.is_set():
                raise WaitForRecovery("the store is not loaded yet")
            applied.append(delivery.event.n)

    consumer = await start_consumer(configure, retry_delays_ms=DELAYS_MS)
    await harness.record(runtime_db, [RuntimeProbeV1(n=5)])
    stop = asyncio.Event()
    relay = asyncio.create_task(OutboxRelay(runtime_db, publisher).run(stop))
    try:
        # past the three attempts that would park any other failure
        await eventually(lambda: len(attempts) >= 6, timeout=30, what="attempts past the limit")
        assert await list_parked(publisher, consumer.queues) == []
        assert max(attempts) == 3  # the attempt count stays at the limit, not growing for ever
        recovered.set()
        await eventually(lambda: applied == [5], timeout=30, what="the message applied at last")
    finally:
        stop.set()
        await relay
    assert await list_parked(publisher, consumer.queues) == []
