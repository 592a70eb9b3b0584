"""At the door: one admission per ticket, whatever the concurrency; clear refusals."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.support import catalogue
from tests.support.purchase import paid, place, scan

pytestmark = pytest.mark.infra


async def paid_tickets(
    gateway: httpx.AsyncClient, quantity: int
) -> tuple[str, list[dict[str, Any]]]:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await paid(gateway, await place(gateway, show, quantity=quantity))
    return show.performance_id, order["tickets"]


async def test_twenty_concurrent_scans_admit_exactly_once(gateway: httpx.AsyncClient) -> None:
    performance_id, tickets = await paid_tickets(gateway, 1)
    results = await asyncio.gather(
        *(scan(gateway, tickets[0]["secret"], performance_id) for _ in range(20))
    )
    outcomes = sorted(r["result"] for r in results)
    assert outcomes == ["already_used"] * 19 + ["ok"]
    assert all(r["used_at"] for r in results if r["result"] == "already_used")


async def test_wrong_performance_and_forged_secrets_are_refused(gateway: httpx.AsyncClient) -> None:
    performance_id, tickets = await paid_tickets(gateway, 1)
    other = await catalogue.general_admission(gateway, capacity=1)
    wrong = await scan(gateway, tickets[0]["secret"], other.performance_id)
    assert wrong["result"] == "wrong_performance"
    payload, signature = tickets[0]["secret"].split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    assert (await scan(gateway, forged, performance_id))["result"] == "invalid"
    assert (await scan(gateway, "garbage", performance_id))["result"] == "invalid"
    assert (await scan(gateway, tickets[0]["secret"], performance_id))["result"] == "ok"


async def test_the_public_key_verifies_secrets_offline(gateway: httpx.AsyncClient) -> None:
    _, tickets = await paid_tickets(gateway, 1)
    published = (await gateway.get("/v1/tickets/public-key")).json()
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published["public_key"]))
    payload, signature = tickets[0]["secret"].split(".")

    def unb64(text: str) -> bytes:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    key.verify(unb64(signature), unb64(payload))  # raises if it does not verify
    assert unb64(payload).decode().startswith(tickets[0]["ticket_id"] + "|")


async def test_only_scanners_check_in(gateway: httpx.AsyncClient) -> None:
    buyer = await catalogue.session(gateway)
    answer = await gateway.post(
        "/v1/checkin", headers=buyer, json={"secret": "x", "performance_id": "y"}
    )
    assert answer.status_code == 403
