"""RFC 9457 ``application/problem+json`` errors, the same shape from every service."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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
        return body


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    retry_after = problem.extra.get("retry_after_s")
    return JSONResponse(
        problem.to_dict(instance),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
    )


def validation_problem(errors: Sequence[Any], prefix: tuple[str, ...] = ()) -> Problem:
    """422 naming every invalid field (pydantic's errors; ``prefix`` such as ``("body",)``)."""
    listed = [
        {"location": ".".join(str(p) for p in (*prefix, *err["loc"])), "message": err["msg"]}
        for err in errors
    ]
    detail = "; ".join(f"{e['location']}: {e['message']}" for e in listed)
    return Problem(422, "validation-error", detail, title="Invalid request", errors=listed)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(validation_problem(exc.errors()), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.method} {request.url.path}"
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(Problem(exc.status_code, code, detail), request.url.path)
