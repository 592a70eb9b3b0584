"""Tables of the payments schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import MetaData

metadata = MetaData()
