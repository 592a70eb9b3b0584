"""The one table from the inventory's refusals (``domain/errors.py``) to problem+json."""

from __future__ import annotations

from fastapi import FastAPI

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
}


def status_of(error: InventoryError) -> int:
    if isinstance(error, HoldRefused):
        return HOLD_REFUSAL_STATUS[error.refused.reason]
    return status_in(STATUS, error)


def problem_of(error: InventoryError) -> Problem:
    return coded_problem(error, status_of(error))


def install(app: FastAPI) -> None:
    """Answer every ``InventoryError`` a route lets through with its problem document."""
    install_problems(app, problem_of, InventoryError)
