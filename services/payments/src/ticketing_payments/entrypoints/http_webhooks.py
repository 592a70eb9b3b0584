"""Stripe's webhooks: verified, stored once, then acted on (the gateway forwards the raw body)."""

from __future__ import annotations

import logging
from typing import Any

import stripe
from fastapi import APIRouter, Request

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.adapters.stripe_api import verified_event
from ticketing_payments.entrypoints.deps import PaymentsDep
from ticketing_payments.entrypoints.intents import settle_event
from ticketing_runtime.problems import Problem

router = APIRouter(tags=["webhooks"])
log = logging.getLogger(__name__)


@router.post("/v1/webhooks/stripe")
async def stripe_webhook(request: Request, pay: PaymentsDep) -> dict[str, Any]:
    """Stripe calls this. Forged, re-signed or stale deliveries get 400 and change nothing; a
    redelivered event is acknowledged and ignored; types we do not act on are acknowledged."""
    payload = await request.body()
    try:
        event = verified_event(payload, request.headers.get("stripe-signature"), pay.settings)
    except stripe.SignatureVerificationError as exc:
        raise Problem(400, "invalid-signature", f"webhook signature check failed: {exc}") from exc
    except ValueError as exc:
        raise Problem(400, "invalid-payload", f"webhook body is not a Stripe event: {exc}") from exc
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
    return {"received": True, "duplicate": not fresh}
