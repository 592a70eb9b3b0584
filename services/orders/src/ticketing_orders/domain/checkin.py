"""What the door says to a scanned ticket."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from ticketing_orders.domain.model import TicketStatus

__all__ = ["CheckinResult", "TicketStatus", "decide", "scan_time"]

#: before this, a device's clock was reset, not telling the time
_CLOCKS_SET_FROM = datetime(2000, 1, 1, tzinfo=UTC)


class CheckinResult(StrEnum):
    OK = "ok"
    ALREADY_USED = "already_used"
    REFUNDED = "refunded"
    VOIDED = "voided"
    WRONG_PERFORMANCE = "wrong_performance"
    CANCELLED = "cancelled"  # the performance will not happen: nobody is admitted
    INVALID = "invalid"


def decide(status: TicketStatus, ticket_performance: str, at_performance: str) -> CheckinResult:
    """The answer before admitting; ``OK`` still needs the atomic mark-as-used to succeed."""
    if ticket_performance != at_performance:
        return CheckinResult.WRONG_PERFORMANCE
    return {
        TicketStatus.VALID: CheckinResult.OK,
        TicketStatus.USED: CheckinResult.ALREADY_USED,
        TicketStatus.REFUNDED: CheckinResult.REFUNDED,
        TicketStatus.VOIDED: CheckinResult.VOIDED,
    }[status]


def scan_time(device_clock: datetime, received_at: datetime) -> datetime:
    """When an offline scan happened, as the server records it: the device's clock, unless it
    is ahead of the server's (it never dates the future) or was reset (before 2000, a phone
    whose battery ran flat): then when the scan was received. One such scan never refuses the
    batch it came in, which left the device's queue stuck and the door offline."""
    return device_clock if _CLOCKS_SET_FROM <= device_clock <= received_at else received_at
