"""Stripe down while an order is placed: the order is placed anyway, the intent is created after
Stripe recovers (backoff), and the payment link is announced for the customer's e-mail. And an
intent Stripe no longer knows is cancelled at once, not retried into the parking lot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.events import catching
from tests.support.platform import restart
from tests.support.purchase import EMULATOR, paid, place, read
from tests.support.waiting import eventually
from ticketing_contracts import PaymentIntentCreatedV1

pytestmark = pytest.mark.infra
OUTAGE_S = 3


@pytest.fixture
async def quick_retries() -> AsyncIterator[None]:
    """Backoff from 0.5 s instead of 5 s, so the test waits seconds, not minutes."""
    await restart("payments", {"TICKETING_INTENT_RETRY_BASE_S": "0.5"})
    try:
        yield
    finally:
        async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
            await emulator.post("/_emulator/outage", json={"mode": "off"})
        await restart("payments")


@pytest.mark.usefixtures("quick_retries")
async def test_an_order_placed_during_a_stripe_outage_gets_its_intent_later(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    async with catching(PaymentIntentCreatedV1.event_type) as caught:
        async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
            down = await emulator.post(
                "/_emulator/outage", json={"mode": "error", "for_s": OUTAGE_S, "status": 503}
            )
            assert down.status_code == 200, down.text
        placed = await place(gateway, show, quantity=2)
        order_id = placed.order["order_id"]
        assert placed.order["status"] == "pending_payment"
        assert placed.order["payment"]["status"] == "creating"
        assert placed.order["payment"].get("payment_intent_id") is None

        async def intent_open() -> dict[str, Any] | None:
            order = await read(gateway, placed)
            return order if order["payment"]["status"] == "open" else None

        order = await eventually(intent_open, timeout=OUTAGE_S + 15, what="the intent created")
        announced = [
            PaymentIntentCreatedV1.model_validate_json(m.body) for m in await caught.take()
        ]
    mine = [e for e in announced if e.order_id == order_id]
    assert len(mine) == 1
    assert mine[0].payment_intent_id == order["payment"]["payment_intent_id"]
    # the customer's browser can pay it: the order now shows the intent's client secret
    assert order["payment"]["client_secret"].startswith(f"{mine[0].payment_intent_id}_secret_")
    assert mine[0].payment_url is not None
    assert order_id in mine[0].payment_url
    assert mine[0].customer_email == "ada@example.com"
    attempts = await admin_db.fetchval(
        "SELECT attempts FROM payments.payment_intents WHERE order_id = $1", order_id
    )
    assert attempts >= 1  # failed at least once, then created by the backoff
    placed.order["payment"]["payment_intent_id"] = order["payment"]["payment_intent_id"]
    assert (await paid(gateway, placed))["status"] == "paid"


async def test_cancelling_an_order_whose_intent_stripe_forgot_cancels_it_without_parking(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=5)
    placed = await place(gateway, show, quantity=1)
    order_id = placed.order["order_id"]
    await eventually(lambda: _intent_status(admin_db, order_id, "open"), what="the intent created")
    await restart("stripe-emulator")  # keeps its state in memory: the intent is gone

    token = {"X-Order-Token": placed.order["access_token"]}
    cancelled = await gateway.post(f"/v1/orders/{order_id}/cancel", headers=token)
    assert cancelled.status_code == 200, cancelled.text
    await eventually(
        lambda: _intent_status(admin_db, order_id, "canceled"),
        what="the intent marked canceled (Stripe answered resource_missing)",
    )


async def _intent_status(db: asyncpg.Connection, order_id: str, wanted: str) -> bool:
    status = await db.fetchval(
        "SELECT status FROM payments.payment_intents WHERE order_id = $1", order_id
    )
    return bool(status == wanted)
