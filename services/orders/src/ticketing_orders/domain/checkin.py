"""What the door says to a scanned ticket."""

from __future__ import annotations

from enum import StrEnum

from ticketing_orders.domain.model import TicketStatus

__all__ = ["CheckinResult", "TicketStatus", "decide"]


class CheckinResult(StrEnum):
    OK = "ok"
    ALREADY_USED = "already_used"
    REFUNDED = "refunded"
    VOIDED = "voided"
    WRONG_PERFORMANCE = "wrong_performance"
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
