"""Stripe's events (webhooks, or what the reconciliation asked for): verified, stored once, then
acted on if they are about an intent we created for its order, with the recorded amount and
currency; anything else is marked for the reconciliation report and changes no order."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import stripe
from prometheus_client import Counter

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters import refunds_repository as refunds_repo
from ticketing_payments.adapters.stripe_api import verified_event
from ticketing_payments.domain.payment import (
    Mismatch,
    is_refund_event,
    mismatch_of,
    outcome_of,
    refund_claim,
)
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.exceptions import (
    InvalidWebhookPayload,
    InvalidWebhookSignature,
)
from ticketing_runtime.database import UnitOfWork

log = logging.getLogger(__name__)
UNMATCHED_EVENTS = Counter(
    "ticketing_payments_unmatched_stripe_events_total",
    "Verified Stripe events that changed nothing: not about what payments created or asked for",
    ["reason"],
)


@dataclass(frozen=True)
class ReceiveWebhook:
    payload: bytes  # the raw body, as Stripe signed it
    signature: str | None  # ``Stripe-Signature``


@dataclass(frozen=True)
class Received:
    event_id: str
    event_type: str
    duplicate: bool  # stored before: acknowledged, nothing done again


async def receive_webhook(pay: Payments, command: ReceiveWebhook) -> Received:
    if command.signature is not None and not command.signature.isascii():
        # the SDK's digest comparison would raise TypeError: no signature of ours looks like this
        raise InvalidWebhookSignature("webhook signature check failed: the header is not ASCII")
    try:
        event = verified_event(command.payload, command.signature, pay.settings)
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhookSignature(f"webhook signature check failed: {exc}") from exc
    except ValueError as exc:
        raise InvalidWebhookPayload(f"webhook body is not a Stripe event: {exc}") from exc
    data: dict[str, Any] = event.to_dict()
    async with pay.database.unit_of_work() as uow:
        fresh = await repo.record_stripe_event(
            uow.session, data["id"], data["type"], data, source="webhook"
        )
        if fresh:
            stripe_object = (data.get("data") or {}).get("object")
            await settle_event(uow, data["id"], data["type"], stripe_object)
        await uow.commit()
    log.info("stripe event %s (%s)%s", data["id"], data["type"], "" if fresh else ": duplicate")
    return Received(data["id"], data["type"], duplicate=not fresh)


async def settle_event(uow: UnitOfWork, event_id: str, event_type: str, obj: Any) -> None:
    """Act on a stored Stripe event if it is about an intent we created for its order, with the
    recorded amount and currency; otherwise mark it (for the reconciliation report), count it
    and change no order."""
    if not isinstance(obj, dict):
        return
    if is_refund_event(event_type):
        if obj.get("object") == "charge":  # charge.refunded: its refund has an event of its own
            if await repo.recorded_intent(uow.session, str(obj.get("payment_intent"))) is None:
                await _refuse(uow, event_id, event_type, Mismatch.UNKNOWN_REFUND, obj)
        elif (claimed := refund_claim(obj)) is None:  # any other is checked by the report
            await _refuse(uow, event_id, event_type, Mismatch.UNKNOWN_REFUND, obj)
        else:
            await _refund_news(uow, claimed, obj)
        return
    outcome = outcome_of(event_type, obj)
    if outcome is None:
        return
    recorded = await repo.recorded_intent(uow.session, outcome.intent_id)
    mismatch = mismatch_of(outcome, recorded)
    if mismatch is not None:
        await _refuse(uow, event_id, event_type, mismatch, obj)
        return
    intent = await repo.get_intent(uow.session, outcome.order_id, lock=True)
    assert intent is not None  # recorded: it exists
    events = intent.apply(outcome)
    await repo.save(uow.session, intent)
    await uow.publish_all(events)


async def _refund_news(uow: UnitOfWork, refund_id: str, stripe_refund: dict[str, Any]) -> None:
    """Stripe's word on a refund of ours it accepted: its status is kept (a pending one is
    asked about until settled); one that failed after all tells orders the money did not go
    back (``payments.refund.failed``), for staff to settle."""
    refund = await refunds_repo.get(uow.session, refund_id)
    if refund is None:
        return
    heard = refund.stripe_status
    failed = refund.learn(stripe_refund)
    if failed or refund.stripe_status != heard:
        await refunds_repo.save_settled(uow.session, refund)
        await uow.publish_all(failed)


async def _refuse(
    uow: UnitOfWork, event_id: str, event_type: str, mismatch: Mismatch, obj: dict[str, Any]
) -> None:
    await repo.mark_mismatch(uow.session, event_id, mismatch)
    UNMATCHED_EVENTS.labels(reason=mismatch.value).inc()
    log.warning(
        "Stripe event %s (%s) about %s changes nothing: %s",
        event_id,
        event_type,
        obj.get("id"),
        mismatch.value,
    )
