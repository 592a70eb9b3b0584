"""Coupons, for staff: create, list, read, change, retire."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy.exc import IntegrityError

from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.domain.coupons import normalised_code
from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.schemas import CouponIn, CouponOut, CouponPage, CouponPatch
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.fields import ID_PATTERN, PathId
from ticketing_runtime.identity import Identity
from ticketing_runtime.ids import new_id
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/coupons", tags=["coupons"])


async def _audit(
    uow: UnitOfWork, staff: Identity, done: str, coupon_id: str, details: dict[str, Any]
) -> None:
    await record_action(
        uow, staff, f"orders.coupon.{done}", target=("coupon", coupon_id), details=details
    )


def _not_found(coupon_id: str) -> Problem:
    return Problem(404, "coupon-not-found", f"no coupon {coupon_id!r}")


@router.post("", status_code=201, response_model=CouponOut)
async def create_coupon(body: CouponIn, staff: Staff, orders: OrdersDep) -> CouponOut:
    fields = body.model_dump()
    fields["code"] = normalised_code(body.code)
    async with orders.database.unit_of_work() as uow:
        try:
            row = await coupons.create(uow.session, coupon_id=new_id("cpn"), **fields)
            await _audit(uow, staff, "created", row["coupon_id"], body.model_dump(mode="json"))
            await uow.commit()
        except IntegrityError as exc:
            raise Problem(
                409, "coupon-code-taken", f"a coupon with code {fields['code']} exists"
            ) from exc
    return CouponOut.model_validate(row)


@router.get("", response_model=CouponPage)
async def list_coupons(
    _: Staff,
    orders: OrdersDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    starting_after: Annotated[str | None, Query(max_length=64, pattern=ID_PATTERN)] = None,
) -> CouponPage:
    async with orders.database.unit_of_work() as uow:
        rows, has_more = await coupons.page(uow.session, starting_after, limit)
    return CouponPage(data=[CouponOut.model_validate(r) for r in rows], has_more=has_more)


@router.get("/{coupon_id}", response_model=CouponOut)
async def read_coupon(coupon_id: PathId, _: Staff, orders: OrdersDep) -> CouponOut:
    async with orders.database.unit_of_work() as uow:
        row = await coupons.get(uow.session, coupon_id)
    if row is None:
        raise _not_found(coupon_id)
    return CouponOut.model_validate(row)


@router.patch("/{coupon_id}", response_model=CouponOut)
async def change_coupon(
    coupon_id: PathId, body: CouponPatch, staff: Staff, orders: OrdersDep
) -> CouponOut:
    """Lowering ``max_uses`` below the uses already counted is refused (409)."""
    async with orders.database.unit_of_work() as uow:
        try:
            row = await coupons.update_coupon(
                uow.session, coupon_id, **body.model_dump(exclude_unset=True)
            )
            if row is not None:
                changes = body.model_dump(mode="json", exclude_unset=True)
                await _audit(uow, staff, "changed", coupon_id, changes)
            await uow.commit()
        except IntegrityError as exc:
            raise Problem(
                409, "coupon-change-refused", f"this change does not fit the coupon: {exc.orig}"
            ) from exc
    if row is None:
        raise _not_found(coupon_id)
    return CouponOut.model_validate(row)


@router.delete("/{coupon_id}", status_code=204)
async def delete_coupon(coupon_id: PathId, staff: Staff, orders: OrdersDep) -> Response:
    """A coupon never used is deleted; one with uses is kept for the record: deactivate it."""
    async with orders.database.unit_of_work() as uow:
        if await coupons.get(uow.session, coupon_id) is None:
            raise _not_found(coupon_id)
        if not await coupons.delete_unused(uow.session, coupon_id):
            raise Problem(
                409, "coupon-in-use", "this coupon has been used; set active=false instead"
            )
        await _audit(uow, staff, "deleted", coupon_id, {})
        await uow.commit()
    return Response(status_code=204)
