"""Refunds as payments tracks them (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_payments.adapters.reconciliation_repository import longest_unasked
from ticketing_payments.adapters.reconciliation_repository import mark_reconciled as reconciled
from ticketing_payments.adapters.tables import payment_refunds
from ticketing_payments.domain.aggregates import UNSETTLED_AT_STRIPE, Refund
from ticketing_payments.domain.payment import RefundStatus
from ticketing_runtime.backoff import Retry
from ticketing_runtime.due_work import aggregate_of, claim_due, record_retry, save_fields
from ticketing_runtime.rows import count_rows, insert_once, row_by_key


async def ensure_refund(
    session: AsyncSession, *, refund_id: str, order_id: str, amount: int, currency: str
) -> Refund:
    """The refund, locked; created ``pending`` the first time it is asked for."""
    pending = RefundStatus.PENDING.value
    asked = {"order_id": order_id, "amount": amount, "currency": currency, "status": pending}
    await insert_once(session, payment_refunds, "refund_id", refund_id=refund_id, **asked)
    found = await row_by_key(session, payment_refunds, "refund_id", refund_id, lock=True)
    assert found is not None  # inserted above, or there before
    return _refund(found)


async def get(session: AsyncSession, refund_id: str) -> Refund | None:
    """The refund, locked (``None``: payments never asked Stripe for it)."""
    found = await row_by_key(session, payment_refunds, "refund_id", refund_id, lock=True)
    return _refund(found) if found is not None else None


async def due(session: AsyncSession, limit: int) -> list[Refund]:
    """Pending refunds whose next attempt is due, locked (other replicas skip them)."""
    return [_refund(row) for row in await claim_due(session, payment_refunds, limit)]


def _unsettled_at_stripe() -> ColumnElement[bool]:
    return and_(
        payment_refunds.c.status == RefundStatus.SUCCEEDED.value,
        payment_refunds.c.stripe_status.in_(sorted(UNSETTLED_AT_STRIPE)),
    )


async def unsettled_count(session: AsyncSession) -> int:
    """Refunds Stripe accepted as pending and has not settled yet."""
    return await count_rows(session, payment_refunds, _unsettled_at_stripe())


async def unsettled_at_stripe(session: AsyncSession, before: datetime, limit: int) -> list[Refund]:
    """Refunds Stripe accepted as pending, unchanged and not asked about since ``before`` (their
    final webhook may never come): the longest unasked first, so every one gets its turn."""
    query = longest_unasked(payment_refunds, _unsettled_at_stripe(), before, limit)
    return [_refund(row) for row in (await session.execute(query)).mappings()]


async def mark_reconciled(session: AsyncSession, refund_id: str, before: datetime) -> bool:
    """Stripe was asked about the refund now (it waits its turn
    again); ``False``: another replica took this turn."""
    return await reconciled(session, payment_refunds.c.refund_id, refund_id, before)


async def save_settled(session: AsyncSession, refund: Refund) -> None:
    settled = ("status", "stripe_refund_id", "last_error", "stripe_status")
    await save_fields(session, payment_refunds, "refund_id", refund, settled, updated_at=func.now())


async def save_postponed(session: AsyncSession, refund: Refund, retry: Retry) -> None:
    error, key = refund.last_error or "", refund.refund_id
    await record_retry(
        session, payment_refunds, "refund_id", key, retry, error, updated_at=func.now()
    )


def _refund(row: RowMapping) -> Refund:
    return aggregate_of(Refund, row, status=RefundStatus(row["status"]))
