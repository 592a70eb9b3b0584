"""Reads and writes of the payments schema (inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_payments.adapters.stripe_api import CreatedIntent
from ticketing_payments.adapters.tables import payment_intents, stripe_events
from ticketing_payments.domain.payment import IntentStatus, Mismatch, RecordedIntent

Row = dict[str, Any]


async def ensure_intent(
    session: AsyncSession,
    *,
    order_id: str,
    amount: int,
    currency: str,
    customer_email: str,
    description: str,
) -> Row:
    """The order's intent row, created (status ``creating``) if it does not exist yet."""
    await session.execute(
        insert(payment_intents)
        .values(
            order_id=order_id,
            amount=amount,
            currency=currency,
            customer_email=customer_email,
            description=description,
            status=IntentStatus.CREATING.value,
        )
        .on_conflict_do_nothing(index_elements=["order_id"])
    )
    row = await get_intent(session, order_id)
    assert row is not None
    return row


async def get_intent(session: AsyncSession, order_id: str, *, lock: bool = False) -> Row | None:
    query = select(payment_intents).where(payment_intents.c.order_id == order_id)
    if lock:
        query = query.with_for_update()
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def due_for_creation(session: AsyncSession, limit: int) -> list[Row]:
    """Intents still to create whose next attempt is due, locked (other replicas skip them)."""
    query = (
        select(payment_intents)
        .where(
            payment_intents.c.status == IntentStatus.CREATING.value,
            payment_intents.c.next_attempt_at <= func.now(),
        )
        .order_by(payment_intents.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def mark_created(session: AsyncSession, order_id: str, created: CreatedIntent) -> bool:
    """Record Stripe's intent; ``False`` when another attempt recorded it first."""
    done = await session.execute(
        update(payment_intents)
        .where(
            payment_intents.c.order_id == order_id,
            payment_intents.c.stripe_intent_id.is_(None),
        )
        .values(
            stripe_intent_id=created.intent_id,
            client_secret=created.client_secret,
            status=IntentStatus.OPEN.value,
            last_error=None,
            updated_at=func.now(),
        )
        .returning(payment_intents.c.order_id)
    )
    return done.first() is not None


async def mark_attempt_failed(
    session: AsyncSession, order_id: str, error: str, next_attempt_at: datetime, give_up: bool
) -> None:
    await session.execute(
        update(payment_intents)
        .where(payment_intents.c.order_id == order_id)
        .values(
            attempts=payment_intents.c.attempts + 1,
            last_error=error,
            next_attempt_at=next_attempt_at,
            status=(IntentStatus.CREATION_FAILED if give_up else IntentStatus.CREATING).value,
            updated_at=func.now(),
        )
    )


async def move(
    session: AsyncSession, order_id: str, to: IntentStatus, *, unless: set[IntentStatus]
) -> bool:
    """Set the status unless it is one of ``unless``; ``True`` when it changed."""
    done = await session.execute(
        update(payment_intents)
        .where(
            payment_intents.c.order_id == order_id,
            payment_intents.c.status.not_in([s.value for s in unless | {to}]),
        )
        .values(status=to.value, updated_at=func.now())
        .returning(payment_intents.c.order_id)
    )
    return done.first() is not None


async def record_stripe_event(
    session: AsyncSession, event_id: str, event_type: str, payload: dict[str, Any], source: str
) -> bool:
    """Store the event; ``False`` when it was stored before (a redelivery: do nothing)."""
    done = await session.execute(
        insert(stripe_events)
        .values(event_id=event_id, type=event_type, payload=payload, source=source)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(stripe_events.c.event_id)
    )
    return done.first() is not None


async def open_since(session: AsyncSession, before: datetime, limit: int) -> list[Row]:
    """Open intents created before ``before``: their final webhook may never have come."""
    query = (
        select(payment_intents)
        .where(
            payment_intents.c.status == IntentStatus.OPEN.value,
            payment_intents.c.updated_at < before,
        )
        .order_by(payment_intents.c.updated_at)
        .limit(limit)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


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
