"""The one table from the gateway's refusals (``domain/errors.py``) to problem+json."""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_gateway.domain.errors import (
    Conflict,
    GatewayError,
    Invalid,
    NotFound,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from ticketing_runtime.problems import Problem
from ticketing_runtime.refusals import StatusTable, coded_problem, install_problems, status_in

#: the most specific class first (a timeout is also an unavailable upstream)
STATUS: StatusTable = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    UpstreamTimeout: 504,
    UpstreamUnavailable: 503,
}


def problem_of(error: GatewayError) -> Problem:
    return coded_problem(error, status_in(STATUS, error))


def install(app: FastAPI) -> None:
    """Answer every ``GatewayError`` a route lets through with its problem document."""
    install_problems(app, problem_of, GatewayError)
