"""Asking Stripe what we missed (open intents and pending refunds whose final webhook is late),
the payments loops, and the reconciliation report: Stripe events that changed nothing, and why."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters import reconciliation_repository
from ticketing_payments.adapters import refunds_repository as refunds
from ticketing_payments.adapters.stripe_api import StripeRefused, StripeUnavailable
from ticketing_payments.domain.aggregates import UNSETTLED_AT_STRIPE
from ticketing_payments.domain.payment import Mismatch, outcome_of
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.intents import create_due_intents
from ticketing_payments.service_layer.refunds import refund_due
from ticketing_payments.service_layer.webhooks import settle_event
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)
_STATUS_EVENT = {
    "succeeded": "payment_intent.succeeded",
    "canceled": "payment_intent.canceled",
}


async def reconcile_once(pay: Payments, most: int = 100) -> int:
    """Ask Stripe about (the ``most`` longest unasked) intents whose final webhook has not come;
    apply what it says; how many it settled. One Stripe refuses is passed over."""
    settled = 0
    before = datetime.now(UTC) - timedelta(seconds=pay.settings.reconcile_after_s)
    async with pay.database.unit_of_work() as uow:
        stale = await repo.open_since(uow.session, before, limit=most)
    for intent in stale:
        assert intent.stripe_intent_id is not None  # open: created at Stripe
        async with pay.database.unit_of_work() as uow:
            mine = await repo.mark_reconciled(uow.session, intent.order_id, before)
            await uow.commit()
        if not mine:  # another replica read it too, and asks Stripe
            continue
        try:
            found = await pay.stripe.retrieve_intent(intent.stripe_intent_id)
        except StripeRefused as exc:  # this one intent (Stripe no longer knows it): the next
            log.warning("reconciling %s: Stripe refused: %s", intent.stripe_intent_id, exc)
            continue
        except StripeUnavailable as exc:  # every other would fail alike: the next round
            log.warning("reconciliation stopped: Stripe unavailable: %s", exc)
            break
        event_type = _STATUS_EVENT.get(found["status"])
        outcome = outcome_of(event_type, found) if event_type else None
        if outcome is None:
            continue
        async with pay.database.unit_of_work() as uow:
            event_id = f"reconciled:{found['id']}:{found['status']}"
            if await repo.record_stripe_event(
                uow.session, event_id, event_type or "", found, source="reconciliation"
            ):
                await settle_event(uow, event_id, event_type or "", found)
                settled += 1
            await uow.commit()
    return settled


async def reconcile_refunds_once(pay: Payments, most: int = 100) -> int:
    """Ask Stripe about (the ``most`` longest unasked) refunds it accepted as pending whose final
    webhook has not come; what it settled is applied as that webhook would have been (a failed
    one tells orders the money did not go back); how many it settled."""
    settled = 0
    before = datetime.now(UTC) - timedelta(seconds=pay.settings.reconcile_after_s)
    async with pay.database.unit_of_work() as uow:
        stale = await refunds.unsettled_at_stripe(uow.session, before, limit=most)
    for refund in stale:
        assert refund.stripe_refund_id is not None  # Stripe accepted it
        async with pay.database.unit_of_work() as uow:
            mine = await refunds.mark_reconciled(uow.session, refund.refund_id, before)
            await uow.commit()
        if not mine:
            continue
        try:
            found = await pay.stripe.retrieve_refund(refund.stripe_refund_id)
        except StripeRefused as exc:
            log.warning("reconciling %s: Stripe refused: %s", refund.stripe_refund_id, exc)
            continue
        except StripeUnavailable as exc:
            log.warning("refund reconciliation stopped: Stripe unavailable: %s", exc)
            break
        if found.get("status") in UNSETTLED_AT_STRIPE:
            continue
        async with pay.database.unit_of_work() as uow:
            event_id = f"reconciled:{found['id']}:{found['status']}"
            if await repo.record_stripe_event(
                uow.session, event_id, "refund.updated", found, source="reconciliation"
            ):
                await settle_event(uow, event_id, "refund.updated", found)
                settled += 1
            await uow.commit()
    return settled


async def unmatched_events(pay: Payments) -> list[tuple[dict[str, Any], str]]:
    """Every verified Stripe event that did not count, with why (a ``Mismatch`` value)."""
    async with pay.database.unit_of_work() as uow:
        mismatched = await reconciliation_repository.mismatched_events(uow.session)
        refunds = await reconciliation_repository.unmatched_refund_events(uow.session)
    listed = [(row, str(row["mismatch"])) for row in mismatched]
    return listed + [(row, Mismatch.UNKNOWN_REFUND.value) for row in refunds]


async def refunds_pending_at_stripe(pay: Payments) -> int:
    """Refunds Stripe accepted as pending and has not settled (each settles in days at most; one
    pending for long is worth a look in Stripe's dashboard)."""
    async with pay.database.unit_of_work() as uow:
        return await refunds.unsettled_count(uow.session)


async def stripe_retry_loop(pay: Payments, stop: asyncio.Event) -> None:
    """Intents and refunds Stripe could not do yet, each when its backoff is over."""

    interval = pay.settings.intent_retry_poll_s
    # two loops, not one step: an intent that keeps failing must not hold up the refunds behind
    # it (a step that raised before reaching them left every pending refund pending)
    await asyncio.gather(
        run_periodically(lambda: create_due_intents(pay), stop, interval, "intent retries"),
        run_periodically(lambda: refund_due(pay), stop, interval, "refund retries"),
    )


async def reconciliation_loop(pay: Payments, stop: asyncio.Event) -> None:
    async def step() -> int:
        return await reconcile_once(pay) + await reconcile_refunds_once(pay)

    interval = pay.settings.reconcile_interval_s
    await run_periodically(step, stop, interval, "stripe reconciliation")
