"""The payments reconciliation report: Stripe events that changed nothing, and why, and the
refunds Stripe has not settled yet."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from ticketing_payments.entrypoints.dependencies import PaymentsDep
from ticketing_payments.service_layer.reconciliation import (
    refunds_pending_at_stripe,
    unmatched_events,
)
from ticketing_runtime.identity import Identity, require_roles

router = APIRouter(tags=["admin"])
Staff = Annotated[Identity, Depends(require_roles("admin", "staff"))]


class UnmatchedEvent(BaseModel):
    event_id: str
    type: str
    reason: str
    received_at: datetime
    stripe_object_id: str | None
    order_id: str | None
    amount: int | None
    currency: str | None


class PaymentsReconciliation(BaseModel):
    unmatched_events: int
    by_reason: dict[str, int]
    events: list[UnmatchedEvent]
    refunds_pending_at_stripe: int = Field(
        description="refunds Stripe accepted as pending and has not settled (asked about in turn)"
    )


@router.get("/v1/admin/services/payments/reconciliation", response_model=PaymentsReconciliation)
async def reconciliation(_: Staff, pay: PaymentsDep) -> PaymentsReconciliation:
    """Every verified Stripe event that did not count: about an intent payments never created,
    naming another order, with another amount or currency, or a refund nobody asked for. Each
    was stored and answered 200; none changed an order. Zero is the healthy figure."""
    events = [_listed(row, reason) for row, reason in await unmatched_events(pay)]
    return PaymentsReconciliation(
        unmatched_events=len(events),
        by_reason=dict(Counter(e.reason for e in events)),
        events=events,
        refunds_pending_at_stripe=await refunds_pending_at_stripe(pay),
    )


def _listed(row: dict[str, Any], reason: str) -> UnmatchedEvent:
    obj: dict[str, Any] = row["object"] if isinstance(row["object"], dict) else {}
    found = obj.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    amount, currency = obj.get("amount"), obj.get("currency")
    return UnmatchedEvent(
        event_id=row["event_id"],
        type=row["type"],
        reason=reason,
        received_at=row["received_at"],
        stripe_object_id=str(obj["id"]) if "id" in obj else None,
        order_id=str(metadata["order_id"]) if "order_id" in metadata else None,
        amount=amount if isinstance(amount, int) else None,
        currency=currency.upper() if isinstance(currency, str) else None,
    )
