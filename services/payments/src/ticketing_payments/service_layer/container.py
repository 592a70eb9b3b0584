"""What the payments use cases, routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_payments.adapters.stripe_api import StripeApi
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.backoff import Backoff
from ticketing_runtime.database import Database


@dataclass
class Payments:
    database: Database
    stripe: StripeApi
    settings: PaymentsSettings

    @property
    def intent_backoff(self) -> Backoff:
        """Creating an intent while Stripe is down: given up after the configured attempts."""
        s = self.settings
        return Backoff(s.intent_retry_base_s, s.intent_retry_cap_s, s.intent_max_attempts)

    @property
    def refund_backoff(self) -> Backoff:
        """A refund backs off the same way, and is never given up."""
        return Backoff(self.settings.intent_retry_base_s, self.settings.intent_retry_cap_s)
