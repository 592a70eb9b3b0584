"""Orders SIGKILLed mid-placement: a retry of the same Idempotency-Key after the restart takes the
placement over at once (its lease died with the process) instead of answering 409
``order-in-progress`` until the abandoned-placement sweep (2 minutes)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
import uuid
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.platform import stack, stack_up
from tests.support.purchase import Placed, hold, order_body, paid
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra


@contextlib.contextmanager
def frozen(name: str) -> Iterator[None]:
    """Every process of ``name`` stopped (SIGSTOP): requests to it hang until the block ends."""
    pid = stack.pid_of(stack.PROCESSES[name])
    assert pid is not None
    os.killpg(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(pid, signal.SIGCONT)


async def status_of_key(db: asyncpg.Connection, key: str) -> str | None:
    found = await db.fetchval("SELECT status FROM orders.orders WHERE idempotency_key = $1", key)
    return str(found) if found is not None else None


@pytest.mark.parametrize(
    ("stalled", "killed_while"),
    [("inventory", "placing"), ("payments", "pending_payment")],
    ids=["while-pinning-the-hold", "while-asking-for-the-intent"],
)
async def test_a_retry_after_orders_was_killed_mid_placement_succeeds_at_once(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection, stalled: str, killed_while: str
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    buyer = await catalogue.session(gateway)
    hold_id = await hold(gateway, show, buyer, quantity=2)
    key = str(uuid.uuid4())
    headers = {**buyer, "Idempotency-Key": key}
    orders = stack.PROCESSES["orders"]

    with frozen(stalled):
        placing = asyncio.create_task(
            gateway.post("/v1/orders", headers=headers, json=order_body(hold_id))
        )
        await eventually(
            lambda: _is(admin_db, key, killed_while), timeout=10, what=f"order {killed_while}"
        )
        await asyncio.to_thread(stack.stop, orders, 30.0, signal.SIGKILL)
        lost = await placing
        assert lost.status_code >= 500  # the gateway lost its upstream mid-request
    await asyncio.to_thread(stack_up, "orders")
    restarted = time.monotonic()

    retried = await gateway.post("/v1/orders", headers=headers, json=order_body(hold_id))

    took = time.monotonic() - restarted
    assert retried.status_code in (200, 201), retried.text
    # at once, not at the 120 s sweep; the intent call alone may take payments_timeout_s (6 s)
    assert took < 15, f"the retry took {took:.1f} s after the restart"
    order = retried.json()
    assert order["status"] == "pending_payment"
    assert order["hold_id"] == hold_id
    assert order["access_token"]
    assert (
        await admin_db.fetchval(
            "SELECT count(*) FROM orders.orders WHERE idempotency_key = $1", key
        )
        == 1
    )
    again = await gateway.post("/v1/orders", headers=headers, json=order_body(hold_id))
    assert (again.status_code, again.json()["order_id"]) == (200, order["order_id"])
    assert (await paid(gateway, Placed(buyer, hold_id, order)))["status"] == "paid"


async def _is(db: asyncpg.Connection, key: str, status: str) -> bool:
    return await status_of_key(db, key) == status
