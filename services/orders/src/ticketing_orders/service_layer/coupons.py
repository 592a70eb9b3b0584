"""Coupons: a use reserved before the hold is pinned, the discount when priced; and staff
creating, changing and retiring them (each change in the audit log)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters import coupons_repository as repo
from ticketing_orders.adapters import orders_repository
from ticketing_orders.domain.coupons import (
    CouponRefused,
    PricedLine,
    check_usable,
    discount,
    normalised_code,
)
from ticketing_orders.domain.errors import (
    CouponChangeRefused,
    CouponCodeTaken,
    CouponInUse,
    CouponNotFound,
)
from ticketing_orders.domain.model import OrderLine
from ticketing_orders.service_layer.commands import (
    ChangeCoupon,
    CreateCoupon,
    DeleteCoupon,
    PlaceOrder,
)
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id

Row = dict[str, Any]  # a coupon as staff read it (a view)


async def reserve_coupon(
    orders: Orders,
    order_id: str,
    command: PlaceOrder,
    lines: Sequence[OrderLine],
    currency: str,
) -> None:
    """Count a use of the order's coupon, or refuse the order (``CouponRefused``) saying why,
    before the hold is touched. Reservations of one coupon queue on its row: max uses hold
    under any concurrency."""
    assert command.coupon is not None
    code = normalised_code(command.coupon)
    email = command.email or ""
    async with orders.database.unit_of_work() as uow:
        coupon = await repo.by_code(uow.session, code, lock=True)
        if coupon is None:
            raise CouponRefused("unknown", f"there is no coupon {code}")
        check_usable(
            coupon,
            now=datetime.now(UTC),
            email_uses=await repo.email_uses(uow.session, coupon.coupon_id, email),
            currency=currency,
            lines=_priced(lines),
        )
        await repo.reserve(uow.session, coupon.coupon_id, order_id, email)
        order = await orders_repository.get(uow.session, order_id, lock=True)
        assert order is not None, "a claimed order stays until its placement ends"
        order.coupon_code = code
        await orders_repository.save(uow.session, order)
        await uow.commit()


async def coupon_discount(
    session: AsyncSession, code: str | None, lines: Sequence[OrderLine]
) -> int:
    """What the order's reserved coupon takes off ``lines`` (0 without a coupon)."""
    if not code:
        return 0
    coupon = await repo.by_code(session, normalised_code(code))
    if coupon is None:  # deleted meanwhile: impossible once used, but never charge more than shown
        return 0
    return discount(coupon, _priced(lines))


def _priced(lines: Sequence[OrderLine]) -> list[PricedLine]:
    return [PricedLine(x.tier_id, x.quantity, x.unit_price) for x in lines]


async def _audit(
    uow: UnitOfWork, staff: Identity, done: str, coupon_id: str, details: dict[str, Any]
) -> None:
    await record_action(
        uow, staff, f"orders.coupon.{done}", target=("coupon", coupon_id), details=details
    )


async def create_coupon(orders: Orders, command: CreateCoupon) -> Row:
    fields = {**command.fields, "code": normalised_code(command.fields["code"])}
    async with orders.database.unit_of_work() as uow:
        try:
            row = await repo.create(uow.session, coupon_id=new_id("cpn"), **fields)
            await _audit(uow, command.staff, "created", row["coupon_id"], command.audit)
            await uow.commit()
        except IntegrityError as exc:
            raise CouponCodeTaken(f"a coupon with code {fields['code']} exists") from exc
    return row


async def change_coupon(orders: Orders, command: ChangeCoupon) -> Row:
    """Lowering ``max_uses`` below the uses already counted is refused."""
    async with orders.database.unit_of_work() as uow:
        try:
            row = await repo.update_coupon(uow.session, command.coupon_id, **command.changes)
        except IntegrityError as exc:
            raise CouponChangeRefused(_why_refused(exc)) from exc
        if row is not None:
            if row["valid_from"] and row["valid_to"] and row["valid_to"] <= row["valid_from"]:
                raise CouponChangeRefused("valid_to must be after valid_from")
            await _audit(uow, command.staff, "changed", command.coupon_id, command.audit)
            await uow.commit()
    if row is None:
        raise CouponNotFound(f"no coupon {command.coupon_id!r}")
    return row


async def delete_coupon(orders: Orders, command: DeleteCoupon) -> None:
    """A coupon never used is deleted; one with uses is kept for the record: deactivate it."""
    async with orders.database.unit_of_work() as uow:
        if await repo.get(uow.session, command.coupon_id) is None:
            raise CouponNotFound(f"no coupon {command.coupon_id!r}")
        if not await repo.delete_unused(uow.session, command.coupon_id):
            raise CouponInUse(
                "this coupon has been used, so it stays on record: switch it off instead"
                " (active: false), and no new order can take it"
            )
        await _audit(uow, command.staff, "deleted", command.coupon_id, {})
        await uow.commit()


def _why_refused(exc: IntegrityError) -> str:
    """The rule a change broke, in words (the database's message would show the whole row)."""
    if "coupon_max_uses" in str(exc.orig):
        return "max_uses cannot be lower than the uses already counted"
    return "this change does not fit the coupon"
