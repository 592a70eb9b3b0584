"""Buying through the gateway as a customer would, and paying at the Stripe emulator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import stripe

from tests.support.catalogue import STAFF, Show, session
from tests.support.platform import stack, staff_token
from tests.support.waiting import eventually

EMULATOR = stack.PROCESSES["stripe-emulator"].url
STRIPE_KEY = "sk_test_dev_emulator"
SCANNER = {"Authorization": f"Bearer {staff_token('scanner', name='door-1')}"}


@dataclass
class Placed:
    buyer: dict[str, str]
    hold_id: str
    order: dict[str, Any]

    @property
    def token_header(self) -> dict[str, str]:
        return {"X-Order-Token": self.order["access_token"]}


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(STRIPE_KEY, base_addresses={"api": EMULATOR}, max_network_retries=0)


async def hold(
    gateway: httpx.AsyncClient, show: Show, buyer: dict[str, str], quantity: int = 2
) -> str:
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": quantity}],
    }
    answer = await gateway.post("/v1/holds", headers=buyer, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["hold_id"])


def order_body(
    hold_id: str, email: str = "ada@example.com", coupon: str | None = None
) -> dict[str, Any]:
    customer = {"name": "Ada Lovelace", "email": email}
    body: dict[str, Any] = {"hold_id": hold_id, "customer": customer}
    if coupon is not None:
        body["coupon"] = coupon
    return body


async def place(
    gateway: httpx.AsyncClient,
    show: Show,
    quantity: int = 2,
    key: str | None = None,
    coupon: str | None = None,
    email: str = "ada@example.com",
) -> Placed:
    buyer = await session(gateway)
    hold_id = await hold(gateway, show, buyer, quantity)
    answer = await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": key or str(uuid.uuid4())},
        json=order_body(hold_id, email=email, coupon=coupon),
    )
    assert answer.status_code == 201, answer.text
    return Placed(buyer, hold_id, answer.json())


async def paid(gateway: httpx.AsyncClient, placed: Placed) -> dict[str, Any]:
    """Pay ``placed`` with a good card and wait until the order is paid with its tickets."""
    await confirm(placed.order["payment"]["payment_intent_id"])

    async def settled() -> dict[str, Any] | None:
        order = await read(gateway, placed)
        return order if order["status"] == "paid" else None

    order: dict[str, Any] | None = await eventually(settled, what="the order paid")
    assert order is not None
    return order


async def scan(gateway: httpx.AsyncClient, secret: str, performance_id: str) -> dict[str, Any]:
    answer = await gateway.post(
        "/v1/checkin", headers=SCANNER, json={"secret": secret, "performance_id": performance_id}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def available(gateway: httpx.AsyncClient, show: Show) -> int:
    seen = await gateway.get(f"/v1/performances/{show.performance_id}")
    assert seen.status_code == 200, seen.text
    return int(seen.json()["tiers"][0]["available"])


async def staff_order(gateway: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    answer = await gateway.get(f"/v1/orders/{order_id}", headers=STAFF)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def confirm(intent_id: str, payment_method: str = "pm_card_visa") -> Any:
    """What the customer's browser does with Stripe.js, done with the SDK."""
    return await stripe_client().v1.payment_intents.confirm_async(
        intent_id, {"payment_method": payment_method}
    )


async def read(gateway: httpx.AsyncClient, placed: Placed) -> dict[str, Any]:
    answer = await gateway.get(
        f"/v1/orders/{placed.order['order_id']}", headers=placed.token_header
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body
