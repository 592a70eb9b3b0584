"""The one table from what a notifications use case refuses to the problem the caller gets."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ticketing_notifications.service_layer.exceptions import (
    NotificationNotFound,
    NotificationsError,
)
from ticketing_runtime.problems import Problem, problem_response

PROBLEMS: dict[type[NotificationsError], tuple[int, str]] = {
    NotificationNotFound: (404, "notification-not-found"),
}


def problem_for(refused: NotificationsError) -> Problem:
    status, code = PROBLEMS[type(refused)]
    return Problem(status, code, str(refused))


def install(app: FastAPI) -> None:
    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotificationsError)
        return problem_response(problem_for(exc), request.url.path)

    app.add_exception_handler(NotificationsError, on_refused)
