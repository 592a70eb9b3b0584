"""Everything one running emulator holds, wired together."""

from __future__ import annotations

from stripe_emulator.config import Settings
from stripe_emulator.events import EventLog
from stripe_emulator.idempotency import IdempotencyStore
from stripe_emulator.outage import Outage
from stripe_emulator.payments import Payments
from stripe_emulator.refunds import Refunds
from stripe_emulator.state import State
from stripe_emulator.webhooks import Endpoint, WebhookDispatcher


class Emulator:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state = State()
        self.events = EventLog(self.state)
        self.payments = Payments(self.state, self.events)
        self.refunds = Refunds(self.state, self.events)
        self.idempotency = IdempotencyStore()
        self.outage = Outage()
        self.webhooks = WebhookDispatcher(self.configured_endpoint())
        self.events.subscribe(self.webhooks.enqueue)
        self.events.pending_webhooks = lambda: 1 if self.webhooks.endpoint.url else 0

    def configured_endpoint(self) -> Endpoint:
        return Endpoint(
            url=self.settings.webhook_url,
            secret=self.settings.webhook_secret,
            retry_delays_s=self.settings.retry_delays_s,
        )

    async def reset(self) -> None:
        """Forget every object, event, key and delivery; back to the configured endpoint."""
        await self.webhooks.reset(self.configured_endpoint())
        self.state.clear()
        self.idempotency.clear()
        self.outage.set("off")
