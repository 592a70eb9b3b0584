"""Tables of the gateway schema: platform probes and their answers, the staff audit log, the
staff tokens admins issued."""

from sqlalchemy import Column, DateTime, ForeignKey, Index, MetaData, Table, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from ticketing_runtime.columns import timestamp_now

metadata = MetaData()

probes = Table(
    "probes",
    metadata,
    Column("probe_id", Text, primary_key=True),
    Column("requested_by", Text, nullable=False),
    timestamp_now("requested_at"),
)

probe_answers = Table(
    "probe_answers",
    metadata,
    Column("probe_id", Text, ForeignKey("probes.probe_id"), primary_key=True),
    Column("service", Text, primary_key=True),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    timestamp_now("received_at"),
)

#: every staff action any service recorded (``audit.action.recorded.v1``), for admins
audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", Text, primary_key=True),
    Column("service", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("actor_roles", ARRAY(Text), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("request_id", Text),
    Column("correlation_id", Text),
    Column("order_id", Text),
    Column("target_type", Text),
    Column("target_id", Text),
    Column("details", JSONB, nullable=False),
    timestamp_now("received_at"),
    Index("audit_log_by_time", "occurred_at", "audit_id"),
    Index("audit_log_by_order", "order_id", "occurred_at"),
    Index("audit_log_by_actor", "actor", "occurred_at"),
)

#: the orders whose customer was erased (``orders.customer.erased``): an action quoting the
#: customer that reaches the log after the erasure (delivered late, retried) is kept without them
erased_orders = Table(
    "erased_orders",
    metadata,
    Column("order_id", Text, primary_key=True),
    timestamp_now("erased_at"),
)

#: every staff token an admin issued (never the token itself: its id, ``jti``), and whether an
#: admin withdrew it before it expired
staff_tokens = Table(
    "staff_tokens",
    metadata,
    Column("token_id", Text, primary_key=True),
    Column("subject", Text, nullable=False),
    Column("roles", ARRAY(Text), nullable=False),
    Column("issued_by", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("withdrawn_by", Text),
    Column("withdrawal_reason", Text),
    Column("idempotency_key", Text),
    Column("request_fingerprint", Text),
    Index("staff_tokens_by_issue", "issued_at", "token_id"),
    Index(
        "one_staff_token_per_key",
        "issued_by",
        "idempotency_key",
        unique=True,
        postgresql_where=text("idempotency_key IS NOT NULL"),
    ),
    Index(
        "staff_tokens_withdrawn",
        "expires_at",
        postgresql_where=text("withdrawn_at IS NOT NULL"),
    ),
)
