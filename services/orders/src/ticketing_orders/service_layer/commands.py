"""What callers ask of the orders use cases: plain values, already validated at the boundary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ticketing_runtime.callers import Identity


@dataclass(frozen=True)
class PlaceOrder:
    """A customer's checkout, or (``desk_payment``) a sale at the box office, paid at once."""

    who: Identity
    idempotency_key: str
    hold_id: str
    name: str
    email: str | None  # None: a desk sale to someone who gave no address
    request: dict[str, Any] = field(compare=False)  # the body as sent: its fingerprint
    coupon: str | None = None
    desk_payment: str | None = None  # cash, card_terminal, complimentary
    sold_by: str | None = None


@dataclass(frozen=True)
class ReadOrder:
    order_id: str
    caller: Identity | None
    token: str | None


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    caller: Identity | None
    token: str | None


@dataclass(frozen=True)
class SettlePayment:
    order_id: str
    payment_intent_id: str  # empty: free, or paid at the desk


@dataclass(frozen=True)
class LearnLateIntent:
    order_id: str
    payment_intent_id: str


@dataclass(frozen=True)
class RecordIntent:
    order_id: str
    payment_intent_id: str
    client_secret: str | None


@dataclass(frozen=True)
class RecordPaymentFailure:
    order_id: str
    reason: str


@dataclass(frozen=True)
class RefundOrder:
    order_id: str
    ticket_ids: Sequence[str] | None
    amount: int | None
    reason: str | None
    requested_by: Identity | None  # None: an automatic refund
    idempotency_key: str | None = None  # an automatic refund's names its cause (AUTOMATIC_KEYS)
    show_cancelled: bool = False  # its performance will not happen: a used ticket's share too


@dataclass(frozen=True)
class GiveBackCancelledPerformance:
    """``performance.cancelled``: every order of it that is unpaid is cancelled, every paid one
    refunded."""

    performance_id: str


@dataclass(frozen=True)
class RejectLateSale:
    """Inventory could not sell a paid order's seats: sold meanwhile (a late payment), or its
    performance was cancelled."""

    order_id: str
    reason: str
    performance_cancelled: bool = False


@dataclass(frozen=True)
class SettleRefund:
    refund_id: str
    order_id: str
    succeeded: bool
    stripe_refund_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class CheckIn:
    secret: str
    performance_id: str
    scanner: Identity
    device_id: str | None = None  # the scanning device, when it says


@dataclass(frozen=True)
class CheckInByNumber:
    ticket_number: str
    performance_id: str
    scanner: Identity
    request_key: str | None = None  # the entry's Idempotency-Key: asked again, answered alike


@dataclass(frozen=True)
class OfflineScan:
    nonce: str
    secret: str
    scanned_at: datetime


@dataclass(frozen=True)
class UploadOfflineScans:
    device_id: str
    performance_id: str
    scanner: Identity
    scans: tuple[OfflineScan, ...]


@dataclass(frozen=True)
class ResetCheckIn:
    ticket_id: str
    reason: str
    staff: Identity


@dataclass(frozen=True)
class CreateCoupon:
    staff: Identity
    fields: dict[str, Any]  # the coupon's columns as given
    audit: dict[str, Any]  # the request as sent, for the audit log


@dataclass(frozen=True)
class ChangeCoupon:
    staff: Identity
    coupon_id: str
    changes: dict[str, Any]
    audit: dict[str, Any]


@dataclass(frozen=True)
class DeleteCoupon:
    staff: Identity
    coupon_id: str
