"""Refunds as payments tracks them (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_payments.adapters.tables import payment_refunds
from ticketing_payments.domain.payment import RefundStatus

Row = dict[str, Any]


async def ensure_refund(
    session: AsyncSession, *, refund_id: str, order_id: str, amount: int, currency: str
) -> Row:
    """The refund's row, locked; created ``pending`` the first time it is asked for."""
    await session.execute(
        insert(payment_refunds)
        .values(
            refund_id=refund_id,
            order_id=order_id,
            amount=amount,
            currency=currency,
            status=RefundStatus.PENDING.value,
        )
        .on_conflict_do_nothing(index_elements=["refund_id"])
    )
    query = select(payment_refunds).where(payment_refunds.c.refund_id == refund_id)
    return dict((await session.execute(query.with_for_update())).one()._mapping)


async def due(session: AsyncSession, limit: int) -> list[Row]:
    """Pending refunds whose next attempt is due, locked (other replicas skip them)."""
    query = (
        select(payment_refunds)
        .where(
            payment_refunds.c.status == RefundStatus.PENDING.value,
            payment_refunds.c.next_attempt_at <= func.now(),
        )
        .order_by(payment_refunds.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def settle(
    session: AsyncSession,
    refund_id: str,
    status: RefundStatus,
    *,
    stripe_refund_id: str | None = None,
    error: str | None = None,
) -> None:
    await session.execute(
        update(payment_refunds)
        .where(payment_refunds.c.refund_id == refund_id)
        .values(
            status=status.value,
            stripe_refund_id=stripe_refund_id,
            last_error=error,
            updated_at=func.now(),
        )
    )


async def postpone(session: AsyncSession, refund_id: str, error: str, until: datetime) -> None:
    await session.execute(
        update(payment_refunds)
        .where(payment_refunds.c.refund_id == refund_id)
        .values(
            attempts=payment_refunds.c.attempts + 1,
            last_error=error,
            next_attempt_at=until,
            updated_at=func.now(),
        )
    )
