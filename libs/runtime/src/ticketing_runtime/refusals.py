"""Domain exceptions as problem+json: each service keeps one table from the exceptions its use
cases raise to a status and a problem code; the message is the problem's ``detail``."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ticketing_runtime.problems import Problem, problem_response

#: exception class → (HTTP status, problem code)
ProblemTable = Mapping[type[Exception], tuple[int, str]]


def problem_for(refused: Exception, table: ProblemTable) -> Problem:
    """The problem of the nearest class of ``refused`` in ``table`` (a ``KeyError`` when none:
    a refusal without a row is a bug, answered 500 like any other)."""
    for cls in type(refused).__mro__:
        if cls in table:
            status, code = table[cls]
            return Problem(status, code, str(refused))
    raise KeyError(f"no problem for {type(refused).__name__}")


def install_refusals(app: FastAPI, base: type[Exception], table: ProblemTable) -> None:
    """Answer every ``base`` a route lets through with its problem from ``table``."""

    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(problem_for(exc, table), request.url.path)

    app.add_exception_handler(base, on_refused)
