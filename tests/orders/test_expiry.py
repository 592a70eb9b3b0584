"""An unpaid order expires at its deadline: the hold comes back and the intent is cancelled."""

from __future__ import annotations

import httpx
import pytest

from tests.support import catalogue
from tests.support.platform import restart
from tests.support.purchase import place, read, stripe_client
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra


async def test_an_unpaid_order_expires_and_releases_hold_and_intent(
    gateway: httpx.AsyncClient,
) -> None:
    await restart("orders", {"TICKETING_PAYMENT_WINDOW_S": "2"})
    try:
        show = await catalogue.general_admission(gateway, capacity=2)
        placed = await place(gateway, show, quantity=2)
        intent_id = placed.order["payment"]["payment_intent_id"]

        async def expired() -> bool:
            return bool((await read(gateway, placed))["status"] == "expired")

        await eventually(expired, timeout=10, what="the order to expire")

        async def capacity_back() -> bool:
            seen = await gateway.get(f"/v1/performances/{show.performance_id}")
            return bool(seen.json()["tiers"][0]["available"] == 2)

        await eventually(capacity_back, timeout=10, what="the hold released")

        async def intent_cancelled() -> bool:
            intent = await stripe_client().v1.payment_intents.retrieve_async(intent_id)
            return bool(intent.status == "canceled")

        await eventually(intent_cancelled, timeout=10, what="the intent cancelled")
    finally:
        await restart("orders")
