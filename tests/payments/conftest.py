"""Payments' use cases in this process against the real PostgreSQL and the Stripe emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pydantic import SecretStr

from tests.stripe_emulator.conftest import (
    API_KEY,
    WEBHOOK_SECRET,
    RunningEmulator,
    emulator,
    receiver,
)
from tests.stripe_emulator.receiver import WebhookReceiver
from tests.support.scratch_service import scratch_service
from ticketing_payments.adapters.stripe_api import StripeApi
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.settings import PaymentsSettings

__all__ = ["emulator", "receiver"]  # the fixtures, shared


@pytest.fixture
def fresh_emulator(emulator: RunningEmulator, receiver: WebhookReceiver) -> Iterator[httpx.Client]:
    """The emulator emptied, its outage off (also afterwards); its control endpoints."""
    with httpx.Client(base_url=emulator.url, timeout=10) as control:
        control.post("/_emulator/reset").raise_for_status()
        receiver.reset()
        yield control
        control.post("/_emulator/outage", json={"mode": "off"}).raise_for_status()


@pytest.fixture
async def pay(
    infrastructure: None, emulator: RunningEmulator, fresh_emulator: httpx.Client
) -> AsyncIterator[Payments]:
    async with scratch_service(
        "payments",
        PaymentsSettings,
        stripe_api_base=emulator.url,
        stripe_api_key=SecretStr(API_KEY),
        stripe_webhook_secret=SecretStr(WEBHOOK_SECRET),
        intent_retry_base_s=30.0,
        intent_max_attempts=3,
    ) as (settings, database):
        yield Payments(database=database, stripe=StripeApi(settings), settings=settings)
