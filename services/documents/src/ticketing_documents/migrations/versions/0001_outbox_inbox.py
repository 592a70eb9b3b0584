"""outbox and inbox

Revision ID: 0001
"""

from ticketing_runtime.migrations import messaging_revision

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

upgrade, downgrade = messaging_revision()
