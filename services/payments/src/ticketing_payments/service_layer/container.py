"""What the payments use cases, routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_payments.adapters.stripe_api import StripeApi
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.database import Database


@dataclass
class Payments:
    database: Database
    stripe: StripeApi
    settings: PaymentsSettings
