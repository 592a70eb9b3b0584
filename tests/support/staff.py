"""Staff at work through the gateway: clerks selling at the desk, the console's reads."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.support.catalogue import Show
from tests.support.platform import stack, staff_token
from tests.support.purchase import stripe_client

SINK_API = stack.PROCESSES["smtp-sink"].url


def bearer(*roles: str, name: str | None = None) -> dict[str, str]:
    """A staff token of its own name (``name`` or a fresh one), so the audit log tells who."""
    who = name or f"staff-{uuid.uuid4().hex[:8]}"
    return {"Authorization": f"Bearer {staff_token(*roles, name=who)}"}


def email_for(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


async def desk_hold(
    gateway: httpx.AsyncClient, show: Show, clerk: dict[str, str], quantity: int = 2
) -> str:
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": quantity}],
    }
    answer = await gateway.post("/v1/holds", headers=clerk, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["hold_id"])


async def desk_sale(
    gateway: httpx.AsyncClient,
    clerk: dict[str, str],
    hold_id: str,
    payment_method: str = "cash",
    email: str | None = None,
    key: str | None = None,
) -> httpx.Response:
    customer: dict[str, Any] = {"name": "Grace Hopper"}
    if email is not None:
        customer["email"] = email
    return await gateway.post(
        "/v1/orders/box-office",
        headers={**clerk, "Idempotency-Key": key or str(uuid.uuid4())},
        json={"hold_id": hold_id, "customer": customer, "payment_method": payment_method},
    )


async def intents_for(order_id: str) -> list[Any]:
    """Every PaymentIntent the Stripe emulator has for ``order_id``."""
    listed = await stripe_client().v1.payment_intents.list_async({"limit": 100})
    seen: list[Any] = [i async for i in listed.auto_paging_iter()]
    return [i for i in seen if i.to_dict().get("metadata", {}).get("order_id") == order_id]


async def mails_to(address: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=SINK_API) as sink:
        answer = await sink.get("/messages", params={"to": address})
        return list(answer.json()["messages"])
