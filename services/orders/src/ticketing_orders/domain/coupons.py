"""Coupons: who may use one, and what it takes off an order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ticketing_orders.domain.errors import OrdersRefusal


class CouponKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


@dataclass(frozen=True)
class Coupon:
    coupon_id: str
    code: str
    kind: CouponKind
    percent_off: int | None  # 1..100 for PERCENT
    amount_off: int | None  # minor units of ``currency`` for FIXED
    currency: str | None
    max_uses: int | None
    max_uses_per_email: int | None
    valid_from: datetime | None
    valid_to: datetime | None
    tier_ids: frozenset[str]  # empty: every tier
    active: bool
    uses: int  # reserved and redeemed


@dataclass(frozen=True)
class PricedLine:
    tier_id: str
    quantity: int
    unit_price: int


class CouponRefused(OrdersRefusal):
    """The coupon cannot be used for this order; ``reason`` is a stable machine-readable word."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def normalised_code(code: str) -> str:
    """Codes are case-insensitive and typed by hand: ``" spring25 "`` is ``SPRING25``."""
    return code.strip().upper()


def check_usable(
    coupon: Coupon, *, now: datetime, email_uses: int, currency: str, lines: Sequence[PricedLine]
) -> None:
    """Raise ``CouponRefused`` saying why ``coupon`` cannot take money off these lines now."""
    name = coupon.code
    if not coupon.active:
        raise CouponRefused("inactive", f"coupon {name} is no longer active")
    if coupon.valid_from is not None and now < coupon.valid_from:
        raise CouponRefused("not_yet_valid", f"coupon {name} is valid from {coupon.valid_from}")
    if coupon.valid_to is not None and now >= coupon.valid_to:
        raise CouponRefused("expired", f"coupon {name} expired at {coupon.valid_to}")
    if coupon.max_uses is not None and coupon.uses >= coupon.max_uses:
        raise CouponRefused("used_up", f"coupon {name} has been used the maximum number of times")
    if coupon.max_uses_per_email is not None and email_uses >= coupon.max_uses_per_email:
        raise CouponRefused(
            "used_up_for_email",
            f"coupon {name} was already used {email_uses} time(s) with this e-mail address",
        )
    if coupon.kind is CouponKind.FIXED and coupon.currency != currency:
        raise CouponRefused(
            "wrong_currency", f"coupon {name} is in {coupon.currency}, the order in {currency}"
        )
    if applicable_gross(coupon, lines) == 0:
        raise CouponRefused("not_applicable", f"coupon {name} does not apply to these tickets")


def applicable_gross(coupon: Coupon, lines: Sequence[PricedLine]) -> int:
    return sum(
        line.unit_price * line.quantity
        for line in lines
        if not coupon.tier_ids or line.tier_id in coupon.tier_ids
    )


def discount(coupon: Coupon, lines: Sequence[PricedLine]) -> int:
    """Money taken off, in minor units: never more than the lines it applies to cost."""
    gross = applicable_gross(coupon, lines)
    if coupon.kind is CouponKind.PERCENT:
        return (gross * (coupon.percent_off or 0) + 50) // 100  # half up
    return min(coupon.amount_off or 0, gross)
