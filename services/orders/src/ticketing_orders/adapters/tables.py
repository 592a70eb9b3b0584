"""Tables of the orders schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("order_id", Text, primary_key=True),
    Column("order_number", Text, nullable=False, unique=True),
    Column("access_token_digest", Text, nullable=False),
    Column("session_id", Text, nullable=False),
    Column("idempotency_key", Text, nullable=False),
    Column("request_fingerprint", Text, nullable=False),
    Column("hold_id", Text, nullable=False),
    Column("performance_id", Text),
    Column("event_name", Text),
    Column("customer_name", Text, nullable=False),
    Column("customer_email", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("total_amount", Integer),
    Column("currency", String(3)),
    Column("payment_deadline", DateTime(timezone=True)),
    Column("payment_intent_id", Text),
    Column("client_secret", Text),
    Column("payment_status", Text, nullable=False, server_default="creating"),
    Column("payment_error", Text),
    Column("placed_response", JSONB, comment="the first answer, replayed for the same key"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("paid_at", DateTime(timezone=True)),
    Column("expired_at", DateTime(timezone=True)),
    UniqueConstraint("session_id", "idempotency_key", name="one_order_per_idempotency_key"),
    # one live order per hold: a hold is pinned to one order
    Index(
        "one_live_order_per_hold",
        "hold_id",
        unique=True,
        postgresql_where="status IN ('placing', 'pending_payment', 'paid')",
    ),
)
Index(
    "orders_due_to_expire", orders.c.payment_deadline, postgresql_where="status = 'pending_payment'"
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Text, ForeignKey("orders.order_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("tier_id", Text, nullable=False),
    Column("tier_name", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Integer, nullable=False),
    Column("seat_ids", ARRAY(Text), nullable=False),
)

tickets = Table(
    "tickets",
    metadata,
    Column("ticket_id", Text, primary_key=True),
    Column("ticket_number", Text, nullable=False, unique=True),
    Column("order_id", Text, ForeignKey("orders.order_id"), nullable=False, index=True),
    Column("performance_id", Text, nullable=False),
    Column("tier_id", Text, nullable=False),
    Column("seat_id", Text),
    Column("secret", Text, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("status", Text, nullable=False, server_default="valid"),
    Column("used_at", DateTime(timezone=True)),
    Column("used_by", Text),
    Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("status IN ('valid', 'used', 'refunded', 'voided')", name="ticket_status"),
    # invariant 7 in the data: a used ticket has its moment of use
    CheckConstraint("status <> 'used' OR used_at IS NOT NULL", name="used_has_used_at"),
)
