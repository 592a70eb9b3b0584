"""A coupon on an order: a use reserved before the hold is pinned, the discount when priced."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.adapters import inventory_api
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.coupons import (
    CouponRefused,
    PricedLine,
    check_usable,
    discount,
    normalised_code,
)
from ticketing_orders.entrypoints.deps import Orders
from ticketing_runtime.identity import Identity
from ticketing_runtime.problems import Problem


async def reserve_coupon(
    orders: Orders, who: Identity, order_id: str, hold_id: str, coupon: str, email: str | None
) -> None:
    """Count a use of the order's coupon, or refuse the order (422) saying why, before the hold
    is touched. Reservations of one coupon queue on its row: max uses hold under concurrency."""
    code = normalised_code(coupon)
    lines, currency = await _hold_lines(orders, who, hold_id)
    async with orders.database.unit_of_work() as uow:
        row = await coupons.by_code(uow.session, code, lock=True)
        if row is None:
            raise Problem(422, "coupon-refused", f"there is no coupon {code}", reason="unknown")
        email = email or ""
        used = await coupons.email_uses(uow.session, row["coupon_id"], email)
        try:
            check_usable(
                coupons.coupon_of(row),
                now=datetime.now(UTC),
                email_uses=used,
                currency=currency,
                lines=lines,
            )
        except CouponRefused as exc:
            raise Problem(422, "coupon-refused", exc.detail, reason=exc.reason) from exc
        await coupons.reserve(uow.session, row["coupon_id"], order_id, email)
        await repo.update_order(uow.session, order_id, coupon_code=code)
        await uow.commit()


async def coupon_discount(
    session: AsyncSession, code: str | None, lines: list[dict[str, Any]]
) -> int:
    """What the order's reserved coupon takes off ``lines`` (0 without a coupon)."""
    if not code:
        return 0
    row = await coupons.by_code(session, normalised_code(code))
    if row is None:  # deleted meanwhile: impossible once used, but never charge more than shown
        return 0
    return discount(coupons.coupon_of(row), _priced_lines(lines))


async def _hold_lines(orders: Orders, who: Identity, hold_id: str) -> tuple[list[PricedLine], str]:
    path = f"/internal/holds/{quote(hold_id)}?session_id={quote(who.subject)}"
    hold = await inventory_api.ask(orders.inventory, "GET", path)
    return _priced_lines(hold["lines"]), hold["lines"][0]["currency"]


def _priced_lines(lines: list[dict[str, Any]]) -> list[PricedLine]:
    return [PricedLine(x["tier_id"], x["quantity"], x["unit_price"]) for x in lines]
