"""The Stripe retry loop: intents and refunds are retried in loops of their own, so an intent
whose retry keeps raising never holds up the refunds waiting behind it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from ticketing_payments.service_layer import reconciliation


async def test_a_failing_intent_retry_does_not_hold_up_the_refunds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stop = asyncio.Event()
    refunds_retried = 0

    async def intents_raise(pay: Any) -> int:
        raise RuntimeError("an intent row the code cannot handle")

    async def refunds(pay: Any) -> int:
        nonlocal refunds_retried
        refunds_retried += 1
        if refunds_retried == 3:
            stop.set()
        return 1

    monkeypatch.setattr(reconciliation, "create_due_intents", intents_raise)
    monkeypatch.setattr(reconciliation, "refund_due", refunds)
    pay = SimpleNamespace(settings=SimpleNamespace(intent_retry_poll_s=0.01))

    await asyncio.wait_for(reconciliation.stripe_retry_loop(pay, stop), timeout=5)  # type: ignore[arg-type]

    assert refunds_retried == 3  # before: the step raised first, every time, and never got here
