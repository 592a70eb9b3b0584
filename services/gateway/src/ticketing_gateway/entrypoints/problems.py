"""The one table from the gateway's refusals (``domain/errors.py``) to problem+json."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ticketing_gateway.domain.errors import (
    GatewayError,
    Invalid,
    NotFound,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from ticketing_runtime.problems import Problem, problem_response

#: the most specific class first (a timeout is also an unavailable upstream)
STATUS: dict[type[GatewayError], int] = {
    NotFound: 404,
    Invalid: 422,
    UpstreamTimeout: 504,
    UpstreamUnavailable: 503,
}


def status_of(error: GatewayError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


def problem_of(error: GatewayError) -> Problem:
    return Problem(status_of(error), error.code, error.detail, **error.extra)


def install(app: FastAPI) -> None:
    """Answer every ``GatewayError`` a route lets through with its problem document."""

    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, GatewayError)
        return problem_response(problem_of(exc), request.url.path)

    app.add_exception_handler(GatewayError, on_refused)
