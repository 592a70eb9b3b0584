"""``/_emulator``: endpoints for tests and developers to steer the emulator (not Stripe's API)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from stripe_emulator.emulator import Emulator
from stripe_emulator.errors import StripeApiError
from stripe_emulator.webhooks import Endpoint


class OutageRequest(BaseModel):
    mode: Literal["off", "error", "timeout"]
    for_s: float | None = Field(default=None, gt=0)
    # the status "error" mode answers with (Stripe's outages show up as 500 or 503)
    status: Literal[500, 502, 503] = 500


class WebhookRequest(BaseModel):
    url: str | None = None
    secret: str | None = None
    retry_delays_s: list[float] | None = None


def emulator(request: Request) -> Emulator:
    emu: Emulator = request.app.state.emulator
    return emu


def webhook_view(endpoint: Endpoint) -> dict[str, Any]:
    # the secret is not echoed back
    return {"url": endpoint.url or None, "retry_delays_s": list(endpoint.retry_delays_s)}


router = APIRouter(prefix="/_emulator", tags=["emulator control"])


@router.get("/outage")
async def get_outage(request: Request) -> dict[str, Any]:
    return emulator(request).outage.describe()


@router.post("/outage")
async def set_outage(body: OutageRequest, request: Request) -> dict[str, Any]:
    outage = emulator(request).outage
    outage.set(body.mode, body.for_s, body.status)
    return outage.describe()


@router.get("/webhook")
async def get_webhook(request: Request) -> dict[str, Any]:
    return webhook_view(emulator(request).webhooks.endpoint)


@router.post("/webhook")
async def set_webhook(body: WebhookRequest, request: Request) -> dict[str, Any]:
    webhooks = emulator(request).webhooks
    current = webhooks.endpoint
    if body.retry_delays_s is not None and any(d < 0 for d in body.retry_delays_s):
        raise HTTPException(422, "retry delays must not be negative")
    webhooks.endpoint = Endpoint(
        url=current.url if body.url is None else body.url.strip(),
        secret=current.secret if body.secret is None else body.secret,
        retry_delays_s=(
            current.retry_delays_s if body.retry_delays_s is None else tuple(body.retry_delays_s)
        ),
    )
    return webhook_view(webhooks.endpoint)


@router.post("/events/{event_id}/deliver")
async def deliver_event(event_id: str, request: Request) -> dict[str, Any]:
    emu = emulator(request)
    event = emu.events.get(event_id)
    if event is None:
        raise HTTPException(404, f"no such event: {event_id}")
    if not emu.webhooks.endpoint.url:
        raise HTTPException(409, "no webhook endpoint configured")
    return (await emu.webhooks.redeliver(event)).to_json()


class SettleRefundRequest(BaseModel):
    # what it settles as; by default what its card does (Stripe's test cards)
    status: Literal["succeeded", "failed", "canceled"] | None = None


@router.post("/refunds/{refund_id}/settle")
async def settle_refund(
    refund_id: str, request: Request, body: SettleRefundRequest | None = None
) -> dict[str, Any]:
    """Settle now a refund that Stripe settles later (``pm_card_pendingRefund``: succeeded,
    ``pm_card_refundFail``: failed, or as ``status`` says), with its webhook events."""
    status = body.status if body else None
    try:
        refund: dict[str, Any] = emulator(request).refunds.settle_later(refund_id, status)
    except StripeApiError as exc:
        raise HTTPException(exc.status, exc.message) from exc
    return refund


@router.get("/deliveries")
async def list_deliveries(request: Request, event_id: str | None = None) -> dict[str, Any]:
    return {"object": "list", "data": emulator(request).webhooks.attempts(event_id)}


@router.post("/reset")
async def reset(request: Request) -> dict[str, Any]:
    await emulator(request).reset()
    return {"status": "reset"}
