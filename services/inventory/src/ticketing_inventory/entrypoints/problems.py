"""The one table from the inventory's refusals (``domain/errors.py``) to problem+json."""

from __future__ import annotations

from fastapi import FastAPI
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ticketing_inventory.domain.errors import (
    Conflict,
    HoldRefused,
    Invalid,
    InventoryError,
    NotFound,
    Unavailable,
)
from ticketing_inventory.domain.holds import Refusal
from ticketing_runtime.problems import Problem
from ticketing_runtime.refusals import StatusTable, coded_problem, install_problems, status_in

STATUS: StatusTable = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    Unavailable: 503,
}

HOLD_REFUSAL_STATUS: dict[Refusal, int] = {
    Refusal.NOT_ENOUGH_LEFT: 409,
    Refusal.SEAT_TAKEN: 409,
    Refusal.NO_SEATS_TOGETHER: 409,
    Refusal.OVER_MAX_PER_ORDER: 422,
    Refusal.UNKNOWN_TIER: 422,
    Refusal.UNKNOWN_SEAT: 422,
    Refusal.HOLD_NOT_FOUND: 404,
    Refusal.HOLD_EXPIRED: 410,
    Refusal.ALREADY_EXTENDED: 409,
    Refusal.HOLD_NOT_ACTIVE: 409,
    Refusal.STALE_TERMS: 503,
    Refusal.TOO_MANY_HOLDS: 429,
    Refusal.TOO_MANY_LIVE_HOLDS: 409,
    Refusal.KEY_REUSED: 422,  # as orders answers a key sent with another body
}


def status_of(error: InventoryError) -> int:
    if isinstance(error, HoldRefused):
        return HOLD_REFUSAL_STATUS[error.refused.reason]
    return status_in(STATUS, error)


def problem_of(error: InventoryError) -> Problem:
    return coded_problem(error, status_of(error))


#: Redis not answering (down, failing over, or every pooled connection busy for 5 s)
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


def redis_down_problem(_: Exception) -> Problem:
    return Problem(
        503,
        "stock-unavailable",
        "the seat store is not answering just now: nothing was held or changed; retry in a moment",
        retry_after_s=2,
    )


def install(app: FastAPI) -> None:
    """Answer every ``InventoryError`` a route lets through with its problem document, and
    Redis not answering with a 503 to retry (not a 500)."""
    install_problems(app, problem_of, InventoryError)
    install_problems(app, redis_down_problem, *REDIS_DOWN)
