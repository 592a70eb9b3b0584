"""Outbox and inbox: the runtime's messaging tables, first in every service."""

from ticketing_runtime.migrations import messaging_revision

revision, down_revision = "0001", None
upgrade, downgrade = messaging_revision()
