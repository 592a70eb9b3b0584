"""Tables of the gateway schema: platform probes and their answers, the staff audit log."""

from sqlalchemy import Column, DateTime, ForeignKey, Index, MetaData, Table, Text
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
