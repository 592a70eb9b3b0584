"""Stripe's webhooks: the raw body and its signature become a ``ReceiveWebhook`` command."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ticketing_payments.entrypoints.dependencies import PaymentsDep
from ticketing_payments.service_layer.webhooks import ReceiveWebhook, receive_webhook

router = APIRouter(tags=["webhooks"])


@router.post("/v1/webhooks/stripe")
async def stripe_webhook(request: Request, pay: PaymentsDep) -> dict[str, Any]:
    """Stripe calls this. Forged, re-signed or stale deliveries get 400 and change nothing; a
    redelivered event is acknowledged and ignored; types we do not act on are acknowledged."""
    command = ReceiveWebhook(await request.body(), request.headers.get("stripe-signature"))
    received = await receive_webhook(pay, command)
    return {"received": True, "duplicate": received.duplicate}
