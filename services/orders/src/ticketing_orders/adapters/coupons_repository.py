"""Coupons and their uses (inside the caller's transaction)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.tables import coupon_uses, coupons
from ticketing_orders.domain.coupons import Coupon, CouponKind
from ticketing_orders.domain.errors import UnknownCursor
from ticketing_runtime.pagination import keyset_page
from ticketing_runtime.rows import row_by_key

Row = dict[str, Any]
_COUNTED = ("reserved", "redeemed")


def _coupon_of(row: Row) -> Coupon:
    values = {f.name: row[f.name] for f in fields(Coupon)}
    kind, tiers = CouponKind(values["kind"]), frozenset(values["tier_ids"])
    return Coupon(**{**values, "kind": kind, "tier_ids": tiers})


async def create(session: AsyncSession, **fields: Any) -> Row:
    done = await session.execute(insert(coupons).values(**fields).returning(*coupons.c))
    return dict(done.one()._mapping)


async def get(session: AsyncSession, coupon_id: str) -> Row | None:
    found = await row_by_key(session, coupons, "coupon_id", coupon_id)
    return dict(found) if found else None


async def by_code(session: AsyncSession, code: str, *, lock: bool = False) -> Coupon | None:
    # lock: every reservation of one coupon queues here: max uses hold under any concurrency
    found = await row_by_key(session, coupons, "code", code, lock=lock)
    return _coupon_of(dict(found)) if found else None


async def page(session: AsyncSession, after: str | None, limit: int) -> tuple[list[Row], bool]:
    """Coupons by id after ``after``, and whether more follow; ``UnknownCursor`` for an
    ``after`` that names no coupon (a typo answered an empty page, as if the list ended)."""
    if after is not None and await get(session, after) is None:
        raise UnknownCursor(f"starting_after: no coupon {after!r}")
    key = None if after is None else (after,)
    return await keyset_page(session, select(coupons), (coupons.c.coupon_id,), key, limit)


async def update_coupon(session: AsyncSession, coupon_id: str, **fields: Any) -> Row | None:
    done = await session.execute(
        update(coupons)
        .where(coupons.c.coupon_id == coupon_id)
        .values(**fields, updated_at=func.now())
        .returning(*coupons.c)
    )
    found = done.first()
    return dict(found._mapping) if found else None


async def delete_unused(session: AsyncSession, coupon_id: str) -> bool:
    """Delete a coupon nobody used; ``False`` if it has uses (deactivate it instead)."""
    used = await session.execute(
        select(func.count()).select_from(coupon_uses).where(coupon_uses.c.coupon_id == coupon_id)
    )
    if used.scalar_one():
        return False
    await session.execute(delete(coupons).where(coupons.c.coupon_id == coupon_id))
    return True


async def email_uses(session: AsyncSession, coupon_id: str, email: str) -> int:
    query = (
        select(func.count())
        .select_from(coupon_uses)
        .where(
            coupon_uses.c.coupon_id == coupon_id,
            coupon_uses.c.email == email.lower(),
            coupon_uses.c.status.in_(_COUNTED),
        )
    )
    return int((await session.execute(query)).scalar_one())


async def reserve(session: AsyncSession, coupon_id: str, order_id: str, email: str) -> None:
    """Count a use for ``order_id`` (the caller holds the coupon's row lock and checked it)."""
    await session.execute(
        insert(coupon_uses).values(
            order_id=order_id, coupon_id=coupon_id, email=email.lower(), status="reserved"
        )
    )
    await session.execute(
        update(coupons).where(coupons.c.coupon_id == coupon_id).values(uses=coupons.c.uses + 1)
    )


async def release(session: AsyncSession, order_id: str) -> None:
    """Give back the use an order reserved (it expired, was cancelled or never placed)."""
    done = await session.execute(
        update(coupon_uses)
        .where(coupon_uses.c.order_id == order_id, coupon_uses.c.status == "reserved")
        .values(status="released", updated_at=func.now())
        .returning(coupon_uses.c.coupon_id)
    )
    for (coupon_id,) in done.all():
        await _recount(session, coupon_id)


async def redeem(session: AsyncSession, order_id: str) -> None:
    """The order was paid: its use is final. A late payment whose use was released takes it
    back, and is honoured even when the coupon has meanwhile run out (the customer paid)."""
    query = select(coupon_uses).where(coupon_uses.c.order_id == order_id).with_for_update()
    use = (await session.execute(query)).first()
    if use is None or use.status == "redeemed":
        return
    await session.execute(
        update(coupon_uses)
        .where(coupon_uses.c.order_id == order_id)
        .values(status="redeemed", updated_at=func.now())
    )
    if use.status == "released":
        await _recount(session, use.coupon_id)


async def _recount(session: AsyncSession, coupon_id: str) -> None:
    """``uses`` as the uses that count (reserved or redeemed), at most ``max_uses``: a late
    payment honoured past the limit keeps the coupon used up until that many uses are gone,
    where adding and taking one away would let one more order in than the limit. Under the
    coupon's row lock, taken first, so a reservation racing this is counted once."""
    lock = select(coupons.c.coupon_id).where(coupons.c.coupon_id == coupon_id).with_for_update()
    await session.execute(lock)
    counted = (
        select(func.count())
        .select_from(coupon_uses)
        .where(coupon_uses.c.coupon_id == coupon_id, coupon_uses.c.status.in_(_COUNTED))
        .scalar_subquery()
    )
    await session.execute(
        update(coupons)
        .where(coupons.c.coupon_id == coupon_id)
        .values(uses=func.least(coupons.c.max_uses, counted))
    )


async def forget_addresses(session: AsyncSession, order_ids: list[str]) -> None:
    """The uses of these orders keep counting toward a coupon's limit, without an address."""
    await session.execute(
        update(coupon_uses).where(coupon_uses.c.order_id.in_(order_ids)).values(email="(erased)")
    )
