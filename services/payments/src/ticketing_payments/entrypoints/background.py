"""Loops of the payments service: late intents and refunds, and asking Stripe what we missed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.domain.payment import outcome_of
from ticketing_payments.entrypoints.deps import Payments
from ticketing_payments.entrypoints.intents import settle_event, try_create
from ticketing_payments.entrypoints.refunds import refund_due
from ticketing_runtime.periodic import run_periodically

_STATUS_EVENT = {
    "succeeded": "payment_intent.succeeded",
    "canceled": "payment_intent.canceled",
}


async def create_due_intents(pay: Payments) -> int:
    """Retry the creation of intents Stripe did not create in time (backoff per intent)."""
    created = 0
    while True:
        async with pay.database.unit_of_work() as uow:
            due = await repo.due_for_creation(uow.session, limit=1)
            if not due:
                return created
            # the row stays locked while Stripe is asked: another replica skips it
            created += await try_create(pay, uow, due[0], late=True)
            await uow.commit()


async def reconcile_once(pay: Payments) -> int:
    """Ask Stripe about intents whose final webhook has not come; apply what it says."""
    settled = 0
    before = datetime.now(UTC) - timedelta(seconds=pay.settings.reconcile_after_s)
    async with pay.database.unit_of_work() as uow:
        stale = await repo.open_since(uow.session, before, limit=100)
    for row in stale:
        intent = await pay.stripe.retrieve_intent(row["stripe_intent_id"])
        event_type = _STATUS_EVENT.get(intent["status"])
        outcome = outcome_of(event_type, intent) if event_type else None
        if outcome is None:
            continue
        async with pay.database.unit_of_work() as uow:
            event_id = f"reconciled:{intent['id']}:{intent['status']}"
            if await repo.record_stripe_event(
                uow.session, event_id, event_type or "", intent, source="reconciliation"
            ):
                await settle_event(uow, event_id, event_type or "", intent)
                settled += 1
            await uow.commit()
    return settled


async def stripe_retry_loop(pay: Payments, stop: asyncio.Event) -> None:
    """Intents and refunds Stripe could not do yet, each when its backoff is over."""

    async def step() -> int:
        return await create_due_intents(pay) + await refund_due(pay)

    interval = pay.settings.intent_retry_poll_s
    await run_periodically(step, stop, interval, "stripe retries")


async def reconciliation_loop(pay: Payments, stop: asyncio.Event) -> None:
    interval = pay.settings.reconcile_interval_s
    await run_periodically(lambda: reconcile_once(pay), stop, interval, "stripe reconciliation")
