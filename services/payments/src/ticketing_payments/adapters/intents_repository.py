"""Payment intents and Stripe's events (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, text, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_payments.adapters.reconciliation_repository import longest_unasked
from ticketing_payments.adapters.reconciliation_repository import mark_reconciled as reconciled
from ticketing_payments.adapters.tables import dead_orders, payment_intents, stripe_events
from ticketing_payments.domain.aggregates import PaymentIntent
from ticketing_payments.domain.payment import IntentStatus, Mismatch, RecordedIntent
from ticketing_runtime.backoff import Retry
from ticketing_runtime.due_work import aggregate_of, claim_due, record_retry, save_fields
from ticketing_runtime.rows import insert_once, row_by_key

CREATING, CREATION_FAILED = IntentStatus.CREATING.value, IntentStatus.CREATION_FAILED.value


async def lock_order(session: AsyncSession, order_id: str) -> None:
    """Until the transaction ends: an intent being made and the order's death, heard at the
    same time, wait for each other (neither sees the other's row before it commits)."""
    key = func.hashtextextended(f"payments.order:{order_id}", 0)
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def record_dead_order(session: AsyncSession, order_id: str) -> None:
    await insert_once(session, dead_orders, "order_id", order_id=order_id)


async def is_dead(session: AsyncSession, order_id: str) -> bool:
    return await row_by_key(session, dead_orders, "order_id", order_id) is not None


async def ensure_intent(
    session: AsyncSession,
    *,
    order_id: str,
    amount: int,
    currency: str,
    customer_email: str,
    description: str,
    due_at: datetime | None = None,
) -> None:
    """The order's intent, created (status ``creating``) if it does not exist yet; the retry
    loop asks Stripe for it from ``due_at`` (default: at once)."""
    due = {"next_attempt_at": due_at} if due_at is not None else {}
    await insert_once(
        session,
        payment_intents,
        "order_id",
        order_id=order_id,
        amount=amount,
        currency=currency,
        customer_email=customer_email,
        description=description,
        status=CREATING,
        **due,
    )


async def get_intent(
    session: AsyncSession, order_id: str, *, lock: bool = False
) -> PaymentIntent | None:
    found = await row_by_key(session, payment_intents, "order_id", order_id, lock=lock)
    return _intent(found) if found else None


async def due_for_creation(session: AsyncSession, limit: int) -> list[PaymentIntent]:
    """Intents still to create whose next attempt is due, locked (other replicas skip them)."""
    due = await claim_due(session, payment_intents, limit, waiting=CREATING)
    return [_intent(row) for row in due]


async def save(session: AsyncSession, intent: PaymentIntent) -> None:
    """Its status and what Stripe said (the caller holds the row's lock)."""
    kept = ("status", "stripe_intent_id", "client_secret", "last_error")
    await save_fields(session, payment_intents, "order_id", intent, kept, updated_at=func.now())


async def save_attempt_failed(session: AsyncSession, intent: PaymentIntent, retry: Retry) -> None:
    """Creation failed: tried again when due (``creating``), or given up (``creation_failed``)."""
    failed = {"waiting": CREATING, "parked": CREATION_FAILED, "updated_at": func.now()}
    error = intent.last_error or ""
    await record_retry(
        session, payment_intents, "order_id", intent.order_id, retry, error, **failed
    )


async def record_stripe_event(
    session: AsyncSession, event_id: str, event_type: str, payload: dict[str, Any], source: str
) -> bool:
    """Store the event; ``False`` when it was stored before (a redelivery: do nothing)."""
    stored = {"type": event_type, "payload": payload, "source": source}
    return await insert_once(session, stripe_events, "event_id", event_id=event_id, **stored)


async def open_since(session: AsyncSession, before: datetime, limit: int) -> list[PaymentIntent]:
    """Open intents unchanged since ``before`` (their final webhook may never have come) and
    not asked about since: the longest unasked first, so every one gets its turn."""
    wanted = payment_intents.c.status == IntentStatus.OPEN.value
    query = longest_unasked(payment_intents, wanted, before, limit)
    return [_intent(row) for row in (await session.execute(query)).mappings()]


async def mark_reconciled(session: AsyncSession, order_id: str, before: datetime) -> bool:
    """Stripe was asked about the order's intent now (it waits its turn
    again); ``False``: another replica took this turn."""
    return await reconciled(session, payment_intents.c.order_id, order_id, before)


async def recorded_intent(session: AsyncSession, stripe_intent_id: str) -> RecordedIntent | None:
    """What we recorded when we created the intent Stripe calls ``stripe_intent_id``."""
    query = select(
        payment_intents.c.order_id, payment_intents.c.amount, payment_intents.c.currency
    ).where(payment_intents.c.stripe_intent_id == stripe_intent_id)
    found = (await session.execute(query)).first()
    return RecordedIntent(found.order_id, found.amount, found.currency) if found else None


async def mark_mismatch(session: AsyncSession, event_id: str, mismatch: Mismatch) -> None:
    await session.execute(
        update(stripe_events)
        .where(stripe_events.c.event_id == event_id)
        .values(mismatch=mismatch.value)
    )


def _intent(row: RowMapping) -> PaymentIntent:
    return aggregate_of(PaymentIntent, row, status=IntentStatus(row["status"]))


async def forget_customer(session: AsyncSession, order_id: str) -> str | None:
    """The order's intent, and the Stripe events about it, without the customer's address (and
    the billing details a charge carries); the money and the ids stay. Stripe's id of the
    intent (``None``: none was created at Stripe)."""
    erased = update(payment_intents).where(payment_intents.c.order_id == order_id)
    returning = erased.values(customer_email="").returning(payment_intents.c.stripe_intent_id)
    stripe_id = (await session.execute(returning)).scalar_one_or_none()
    if stripe_id is None:
        return None
    about = stripe_events.c.payload["data"]["object"]
    payload: ColumnElement[Any] = stripe_events.c.payload
    for personal in ("receipt_email", "billing_details"):
        payload = payload.op("#-")(text(f"'{{data,object,{personal}}}'"))
    await session.execute(
        update(stripe_events)
        .where(or_(about["id"].astext == stripe_id, about["payment_intent"].astext == stripe_id))
        .values(payload=payload)
    )
    return str(stripe_id)
