"""Coupons, for staff: create, list, read, change, retire."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.domain.errors import CouponNotFound
from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.schemas import CouponIn, CouponOut, CouponPage, CouponPatch
from ticketing_orders.service_layer import coupons as use_cases
from ticketing_orders.service_layer.commands import ChangeCoupon, CreateCoupon, DeleteCoupon
from ticketing_runtime.fields import ID_PATTERN, PathId

router = APIRouter(prefix="/v1/coupons", tags=["coupons"])


@router.post("", status_code=201, response_model=CouponOut)
async def create_coupon(body: CouponIn, staff: Staff, orders: OrdersDep) -> CouponOut:
    command = CreateCoupon(staff, body.model_dump(), body.model_dump(mode="json"))
    return CouponOut.model_validate(await use_cases.create_coupon(orders, command))


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
        raise CouponNotFound(f"no coupon {coupon_id!r}")
    return CouponOut.model_validate(row)


@router.patch("/{coupon_id}", response_model=CouponOut)
async def change_coupon(
    coupon_id: PathId, body: CouponPatch, staff: Staff, orders: OrdersDep
) -> CouponOut:
    """Lowering ``max_uses`` below the uses already counted is refused (409)."""
    command = ChangeCoupon(
        staff,
        coupon_id,
        body.model_dump(exclude_unset=True),
        body.model_dump(mode="json", exclude_unset=True),
    )
    return CouponOut.model_validate(await use_cases.change_coupon(orders, command))


@router.delete("/{coupon_id}", status_code=204)
async def delete_coupon(coupon_id: PathId, staff: Staff, orders: OrdersDep) -> Response:
    """A coupon never used is deleted; one with uses is kept for the record: deactivate it."""
    await use_cases.delete_coupon(orders, DeleteCoupon(staff, coupon_id))
    return Response(status_code=204)
