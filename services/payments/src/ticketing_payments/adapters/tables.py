"""Tables of the payments schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    MetaData,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from ticketing_runtime.columns import created_and_updated, money, retries, timestamp_now

metadata = MetaData()

#: one row per order: the order's one PaymentIntent (invariant 4: no double charge)
payment_intents = Table(
    "payment_intents",
    metadata,
    Column("order_id", Text, primary_key=True),
    *money(),
    Column("customer_email", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("stripe_intent_id", Text, unique=True),
    Column("client_secret", Text),
    *retries(),
    *created_and_updated(),
    Column(
        "reconciled_at",
        DateTime(timezone=True),
        comment="when reconciliation last asked Stripe about it (each open intent in turn)",
    ),
)

#: orders that died (expired, cancelled) before payments heard they were placed: a late
#: ``order.placed`` (redelivered, replayed from the parking lot) makes no intent for them
dead_orders = Table(
    "dead_orders",
    metadata,
    Column("order_id", Text, primary_key=True),
    timestamp_now("died_at"),
)

#: refunds asked by orders (one per order refund), retried while Stripe is down
payment_refunds = Table(
    "payment_refunds",
    metadata,
    Column("refund_id", Text, primary_key=True, comment="the orders service's refund id"),
    Column("order_id", Text, nullable=False, index=True),
    *money(),
    Column("status", Text, nullable=False),
    Column("stripe_refund_id", Text, unique=True),
    *retries(),
    *created_and_updated(),
    Column(
        "stripe_status",
        Text,
        comment="Stripe's own status of the refund as last heard (pending: asked about again)",
    ),
    Column(
        "reconciled_at",
        DateTime(timezone=True),
        comment="when reconciliation last asked Stripe about a refund it accepted as pending",
    ),
    Index(
        "refunds_pending_at_stripe",
        "reconciled_at",
        postgresql_where=text("stripe_status IN ('pending', 'requires_action')"),
    ),
)

#: every verified webhook event, inserted before it is handled (de-duplication and audit)
stripe_events = Table(
    "stripe_events",
    metadata,
    Column("event_id", Text, primary_key=True),
    Column("type", Text, nullable=False),
    Column("payload", JSONB, nullable=False),
    timestamp_now("received_at"),
    Column("source", Text, nullable=False, server_default="webhook"),
    Column("mismatch", Text, comment="why the event did not count (domain.payment.Mismatch)"),
    Index("mismatched_stripe_events", "received_at", postgresql_where=text("mismatch IS NOT NULL")),
)
