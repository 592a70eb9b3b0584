"""The one table from what a notifications use case refuses to the problem the caller gets."""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_notifications.service_layer.exceptions import (
    NothingToResend,
    NotificationNotFound,
    NotificationsError,
)
from ticketing_runtime.refusals import ProblemTable, install_refusals

PROBLEMS: ProblemTable = {
    NotificationNotFound: (404, "notification-not-found"),
    NothingToResend: (409, "nothing-to-resend"),
}


def install(app: FastAPI) -> None:
    install_refusals(app, NotificationsError, PROBLEMS)
