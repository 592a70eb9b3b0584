"""Tables of the gateway schema: platform probes and their answers, the staff audit log."""

from sqlalchemy import Column, DateTime, ForeignKey, Index, MetaData, Table, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData()

probes = Table(
    "probes",
    metadata,
    Column("probe_id", Text, primary_key=True),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

probe_answers = Table(
    "probe_answers",
    metadata,
    Column("probe_id", Text, ForeignKey("probes.probe_id"), primary_key=True),
    Column("service", Text, primary_key=True),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
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
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("audit_log_by_time", "occurred_at", "audit_id"),
    Index("audit_log_by_order", "order_id", "occurred_at"),
    Index("audit_log_by_actor", "actor", "occurred_at"),
)
