"""What the payments routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ticketing_payments.adapters.stripe_api import StripeApi
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.database import Database


@dataclass
class Payments:
    database: Database
    stripe: StripeApi
    settings: PaymentsSettings


async def payments(request: Request) -> Payments:
    found: Payments = request.app.state.payments
    return found


PaymentsDep = Annotated[Payments, Depends(payments)]
