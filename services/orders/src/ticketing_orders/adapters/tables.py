"""Tables of the orders schema (the outbox and inbox come from the runtime)."""

from sqlalchemy import MetaData

metadata = MetaData()
