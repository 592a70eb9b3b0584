"""Domain exceptions as problem+json: each service keeps one table from the exceptions its use
cases raise to a status and a problem code; the message is the problem's ``detail``.

Services whose refusals name their own code (``CodedRefusal``) keep a table of statuses only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ticketing_runtime.coded_refusal import CodedRefusal
from ticketing_runtime.problems import Problem, problem_response

#: exception class → (HTTP status, problem code)
ProblemTable = Mapping[type[Exception], tuple[int, str]]
#: exception class → HTTP status, the most specific class first
StatusTable = Mapping[type[Exception], int]

Refused = TypeVar("Refused", bound=Exception)


def problem_for(refused: Exception, table: ProblemTable, **extra: Any) -> Problem:
    """The problem of the nearest class of ``refused`` in ``table`` (a ``KeyError`` when none:
    a refusal without a row is a bug, answered 500 like any other)."""
    for cls in type(refused).__mro__:
        if cls in table:
            status, code = table[cls]
            return Problem(status, code, str(refused), **extra)
    raise KeyError(f"no problem for {type(refused).__name__}")


def status_in(table: StatusTable, refused: Exception) -> int:
    """The status of the first class in ``table`` that ``refused`` is one of (500: none)."""
    for kind, status in table.items():
        if isinstance(refused, kind):
            return status
    return 500


def coded_problem(refused: CodedRefusal, status: int) -> Problem:
    """The problem a ``CodedRefusal`` names, answered with ``status``."""
    return Problem(status, refused.code, refused.detail, **refused.extra)


def install_problems(
    app: FastAPI, problem_of: Callable[[Refused], Problem], *bases: type[Refused]
) -> None:
    """Answer every exception of ``bases`` a route lets through with ``problem_of`` it."""

    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, bases)
        return problem_response(problem_of(exc), request.url.path)

    for base in bases:
        app.add_exception_handler(base, on_refused)


def install_refusals(app: FastAPI, base: type[Exception], table: ProblemTable) -> None:
    """Answer every ``base`` a route lets through with its problem from ``table``."""
    install_problems(app, lambda refused: problem_for(refused, table), base)
