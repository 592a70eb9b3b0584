"""The one table from what a payments use case refuses to the problem the caller gets."""

from __future__ import annotations

from fastapi import FastAPI

from ticketing_payments.service_layer.exceptions import (
    IntentNotFound,
    InvalidWebhookPayload,
    InvalidWebhookSignature,
    OrderNotPayable,
    PaymentsError,
)
from ticketing_runtime.refusals import ProblemTable, install_refusals

PROBLEMS: ProblemTable = {
    IntentNotFound: (404, "intent-not-found"),
    InvalidWebhookSignature: (400, "invalid-signature"),
    InvalidWebhookPayload: (400, "invalid-payload"),
    OrderNotPayable: (409, "order-not-payable"),
}


def install(app: FastAPI) -> None:
    install_refusals(app, PaymentsError, PROBLEMS)
