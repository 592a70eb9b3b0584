"""A failure of the service's own infrastructure, told apart from a failure of the message.

A handler that fails because Postgres or Redis is down (or not ready: a Redis restarted empty)
has nothing wrong with its message: parking it after the last retry would leave its effect
undone until staff replay it (an ``order.paid`` parked so left a sold seat unrecorded, to be
sold again). Such a message is retried at the longest delay for as long as the outage lasts.
"""

from __future__ import annotations

import asyncpg
import httpx
import redis.exceptions
import sqlalchemy.exc


class WaitForRecovery(Exception):
    """Raised by a handler whose message is fine but whose service cannot act on it yet (a store
    it needs is empty or down): retried, however many attempts, never parked."""


_OUTAGES: tuple[type[BaseException], ...] = (
    WaitForRecovery,
    ConnectionError,  # refused, reset, broken pipe
    TimeoutError,  # a connection or a statement that did not answer in time
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free
    asyncpg.exceptions.CannotConnectNowError,  # starting up, shutting down, in recovery
    asyncpg.exceptions.PostgresConnectionError,  # the connection lost or refused
    asyncpg.exceptions.AdminShutdownError,  # the server stopped under the statement
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
)


#: a failure of a call to another service or to Stripe (the internal client's
#: ``ServiceUnavailable`` and the Stripe adapter's errors are raised from these): theirs, not this
#: service's store (a wrong address would be retried for ever); parked after the last retry
_PEERS: tuple[type[BaseException], ...] = (httpx.HTTPError,)


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it: SQLAlchemy wraps the driver's) is an outage of
    this service's own database or Redis. Only explicit causes are followed (``raise … from``,
    SQLAlchemy's ``orig``), not an error that happened while another was handled."""
    seen: BaseException | None = error
    for _ in range(8):  # a cause chain is short; a cycle is not followed for ever
        if seen is None or isinstance(seen, _PEERS):
            return False
        if isinstance(seen, _OUTAGES):
            return True
        if isinstance(seen, sqlalchemy.exc.DBAPIError):
            if seen.connection_invalidated:
                return True
            if isinstance(seen.orig, BaseException):  # the driver's error, as SQLAlchemy keeps it
                seen = seen.orig
                continue
        seen = seen.__cause__
    return False
