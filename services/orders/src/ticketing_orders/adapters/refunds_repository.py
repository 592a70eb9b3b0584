"""Refunds of an order (inside the caller's transaction)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters.tables import refunds
from ticketing_orders.domain.refunds import Refund, RefundStatus
from ticketing_runtime.rows import count_rows

_COLUMNS = tuple(f.name for f in fields(Refund))


def _refund_of(row: Row[Any]) -> Refund:
    values = {name: row._mapping[name] for name in _COLUMNS}
    values["status"] = RefundStatus(values["status"])
    values["ticket_ids"] = list(values["ticket_ids"])
    return Refund(**values)


async def add(session: AsyncSession, refund: Refund) -> Refund:
    """Record ``refund``; returns it as stored (with its time)."""
    values = {name: getattr(refund, name) for name in _COLUMNS}
    del values["created_at"], values["updated_at"]
    done = await session.execute(insert(refunds).values(**values).returning(*refunds.c))
    return _refund_of(done.one())


async def failed_count(session: AsyncSession) -> int:
    return await count_rows(session, refunds, refunds.c.status == RefundStatus.FAILED.value)


async def by_key(session: AsyncSession, order_id: str, key: str) -> Refund | None:
    query = select(refunds).where(refunds.c.order_id == order_id, refunds.c.idempotency_key == key)
    found = (await session.execute(query)).first()
    return _refund_of(found) if found else None


async def save_paid_back(session: AsyncSession, refund: Refund) -> bool:
    """A failed refund settled by staff (still failed when written: two staff at once write
    once); ``True`` when it changed."""
    done = await session.execute(
        update(refunds)
        .where(
            refunds.c.refund_id == refund.refund_id,
            refunds.c.status == RefundStatus.FAILED.value,
        )
        .values(
            status=refund.status.value,
            error=refund.error,
            paid_back_by=refund.paid_back_by,
            paid_back_from_till=refund.paid_back_from_till,
            paid_back_at=refund.paid_back_at,
            updated_at=func.now(),
        )
        .returning(refunds.c.refund_id)
    )
    return done.first() is not None


async def of_order(session: AsyncSession, order_id: str) -> list[Refund]:
    query = select(refunds).where(refunds.c.order_id == order_id).order_by(refunds.c.created_at)
    return [_refund_of(r) for r in (await session.execute(query)).all()]


async def committed_amount(session: AsyncSession, order_id: str) -> int:
    """Money given back or on its way (a failed refund gave nothing back)."""
    query = select(func.coalesce(func.sum(refunds.c.amount), 0)).where(
        refunds.c.order_id == order_id, refunds.c.status != RefundStatus.FAILED.value
    )
    return int((await session.execute(query)).scalar_one())


async def settle(
    session: AsyncSession,
    refund_id: str,
    status: RefundStatus,
    *,
    stripe_refund_id: str | None = None,
    error: str | None = None,
) -> bool:
    """Record Stripe's answer once: a pending refund's, or its later word that a refund it had
    accepted failed after all; ``True`` when it changed."""
    settleable = [RefundStatus.PENDING.value]
    if status is RefundStatus.FAILED:
        settleable.append(RefundStatus.SUCCEEDED.value)
    answer: dict[str, Any] = {"status": status.value, "error": error, "updated_at": func.now()}
    if stripe_refund_id is not None:  # a later failure keeps the id Stripe gave it
        answer["stripe_refund_id"] = stripe_refund_id
    done = await session.execute(
        update(refunds)
        .where(refunds.c.refund_id == refund_id, refunds.c.status.in_(settleable))
        .values(**answer)
        .returning(refunds.c.refund_id)
    )
    return done.first() is not None
