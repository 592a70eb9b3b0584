"""Tables of the gateway schema: platform probes and their answers."""

from sqlalchemy import Column, DateTime, ForeignKey, MetaData, Table, Text, func

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
