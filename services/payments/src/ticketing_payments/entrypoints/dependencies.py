"""The payments container for the routes (set on the app by ``main``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ticketing_payments.service_layer.container import Payments


def _payments(request: Request) -> Payments:
    found: Payments = request.app.state.payments
    return found


PaymentsDep = Annotated[Payments, Depends(_payments)]
