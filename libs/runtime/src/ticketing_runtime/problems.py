"""RFC 9457 ``application/problem+json`` errors, the same shape from every service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from ticketing_runtime.correlation import HTTP_HEADER, current_correlation_id
from ticketing_runtime.outages import is_outage

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://docs.ticketing.example/problems/"


class Problem(Exception):
    """Raise to answer with a problem document. ``code`` names the problem type."""

    def __init__(
        self, status: int, code: str, detail: str, *, title: str | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.extra = extra

    @classmethod
    def relayed(cls, status: int, body: dict[str, Any]) -> Problem:
        """The problem another service answered, passed on to our caller as it was."""
        core = ("type", "title", "status", "detail", "instance")
        extra = {k: v for k, v in body.items() if k not in core}
        code = str(body.get("type", "/upstream-refused")).rsplit("/", 1)[-1]
        return cls(status, code, str(body.get("detail", "refused")), **extra)

    def to_dict(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }
        if instance:
            body["instance"] = instance
        if "request_id" not in body and (request_id := current_correlation_id.get()):
            body["request_id"] = request_id
        return body


def problem_response(
    problem: Problem, instance: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    retry_after = problem.extra.get("retry_after_s")
    answered = dict(headers or {})
    if retry_after is not None:
        answered["Retry-After"] = str(retry_after)
    if problem.status == 401:  # RFC 9110 §11.6.1: how to authenticate
        answered.setdefault("WWW-Authenticate", 'Bearer realm="ticketing"')
    return JSONResponse(
        problem.to_dict(instance),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=answered or None,
    )


def validation_problem(errors: Sequence[Any], prefix: tuple[str, ...] = ()) -> Problem:
    """422 naming every invalid field (pydantic's errors; ``prefix`` such as ``("body",)``)."""
    listed = [{"location": _location(err, prefix), "message": _message(err)} for err in errors]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in listed)
    return Problem(422, "validation-error", detail, title="Invalid request", errors=listed)


def _location(err: Any, prefix: tuple[str, ...]) -> str:
    where = (*prefix, *err["loc"])
    if err.get("type") == "json_invalid" and where and isinstance(where[-1], int):
        where = where[:-1]  # FastAPI puts the character's position in the path
    return ".".join(str(p) for p in where)


def _message(err: Any) -> str:
    """pydantic's message, in characters where it counts a text's length in "items" (a limit
    checked after our own validators is a generic one: "at most 200 items after validation")."""
    given, limits = err.get("input"), err.get("ctx") or {}
    if err.get("type") == "json_invalid":
        why = limits.get("error") or "not JSON"
        at = err.get("loc", ())[-1:]  # FastAPI's 0-based position; a person counts from 1
        return f"not valid JSON: {why}" + (
            f" at character {at[0] + 1}" if at and isinstance(at[0], int) else ""
        )
    length = limits.get("actual_length", len(given) if isinstance(given, str) else None)
    if isinstance(given, str) and err.get("type") == "too_long":
        return f"should be at most {_characters(limits.get('max_length'))}, not {length}"
    if isinstance(given, str) and err.get("type") == "too_short":  # counted once stripped
        return f"should be at least {_characters(limits.get('min_length'))}, not {length}"
    return str(err["msg"])


def _characters(count: object) -> str:
    return f"{count} character" + ("" if count == 1 else "s")


#: how long a caller waits before retrying a request our own database or Redis could not serve
OUTAGE_RETRY_AFTER_S = 2


def unhandled_problem(error: BaseException, request_id: str) -> Problem:
    """The answer to an exception no route turned into one: 503 to retry when it is an outage
    of the service's own store (Postgres failing over, out of pooled connections; a 500 said
    "our bug"), else 500; both name the request id."""
    if is_outage(error):
        return Problem(
            503,
            "service-unavailable",
            "the service cannot reach its database or cache right now; retry in a moment",
            retry_after_s=OUTAGE_RETRY_AFTER_S,
            request_id=request_id,
        )
    return Problem(
        500,
        "internal-error",
        "the request failed on our side; retry, or quote the request_id to support",
        request_id=request_id,
    )


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc.errors()), request.url.path)

    @app.exception_handler(Exception)
    async def on_unhandled(request: Request, exc: Exception) -> JSONResponse:
        """What Starlette would answer as text/plain; logged by the service's outer guard."""
        request_id = request.headers.get(HTTP_HEADER) or current_correlation_id.get() or ""
        failed = unhandled_problem(exc, request_id)
        return problem_response(failed, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        path = request.url.path
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.method} {path}" + _without_slash_hint(request)
        if exc.status_code == 400 and detail == _FASTAPI_UNREADABLE_BODY:
            detail = UNREADABLE_BODY
        headers = exc.headers
        if exc.status_code == 405:
            allowed = _allowed_methods(request)
            detail = f"{request.method} is not allowed on {path} (allowed: {allowed})"
            headers = {**(headers or {}), "Allow": allowed}
        return problem_response(Problem(exc.status_code, code, detail), path, headers)


#: FastAPI's words when its JSON parser fails otherwise than on bad JSON
_FASTAPI_UNREADABLE_BODY = "There was an error parsing the body"
UNREADABLE_BODY = (
    "the body cannot be read as JSON: it is not UTF-8 text, or nests deeper than the parser"
    " goes (a body here has a few levels)"
)

_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """Every method some route answers on this path (Starlette's 405 names only the first
    route's), HEAD wherever GET is."""
    allowed = [m for m in _METHODS if _answered(request, {"method": m})]
    if "GET" in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
    return ", ".join(allowed)


def _answered(request: Request, change: dict[str, str], full: bool = True) -> bool:
    """Whether a route answers this request with ``change`` made to it (its method or path):
    fully, or (``full=False``) at least on its path."""
    scope = {**request.scope, **change}
    wanted = (Match.FULL,) if full else (Match.FULL, Match.PARTIAL)
    return any(route.matches(scope)[0] in wanted for route in request.app.router.routes)


def _without_slash_hint(request: Request) -> str:
    """Paths have no trailing slash, and none is redirected (a redirect behind the edge would
    name the service's own host, and would send a POST's body again): the 404 says so."""
    path = request.url.path
    if len(path) < 2 or not path.endswith("/"):
        return ""
    bare = path.rstrip("/")
    if _answered(request, {"path": bare}, full=False):
        return f" (without the trailing slash: {bare})"
    return ""
