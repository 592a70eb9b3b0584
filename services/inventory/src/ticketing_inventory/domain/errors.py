"""Why the inventory refuses a request, without HTTP: ``entrypoints/problems.py`` is the one
table that turns each of these into its problem+json answer."""

from __future__ import annotations

from typing import Any

from ticketing_inventory.domain.holds import Refused
from ticketing_runtime.coded_refusal import CodedRefusal
from ticketing_runtime.outages import WaitForRecovery


class InventoryError(CodedRefusal):
    """A refusal of the inventory; ``code`` names the problem type, ``extra`` adds fields."""


class NotFound(InventoryError):
    """The thing named does not exist (or is not visible to the caller)."""

    @classmethod
    def unknown(cls, kind: str, identifier: str) -> NotFound:
        return cls(f"unknown-{kind}", f"no {kind} {identifier!r}")

    @classmethod
    def hold(cls, hold_id: str) -> NotFound:
        return cls("hold-not-found", f"no hold {hold_id!r} in this session")


class Conflict(InventoryError):
    """The request is well formed but the current state refuses it."""


class Invalid(InventoryError):
    """The request names things that cannot go together (unknown tier, bad seat file)."""


class Unavailable(InventoryError):
    """Refused for now: the same request may succeed on a retry."""


class HoldRefused(InventoryError):
    """The hold store refused a decision on a hold; ``refused.reason`` says why."""

    def __init__(self, refused: Refused) -> None:
        extra: dict[str, Any] = {}
        if refused.available is not None:
            extra["available"] = refused.available
        if refused.taken_seats:
            extra["taken_seats"] = list(refused.taken_seats)
        if refused.retry_after_ms is not None:
            extra["retry_after_s"] = max(1, -(-refused.retry_after_ms // 1000))
        if refused.hold_status is not None:
            extra["hold_status"] = refused.hold_status.value
        super().__init__(refused.reason.value, refused.detail, **extra)
        self.refused = refused


class SaleNotRecordedYet(Exception):
    """Staff refunded tickets whose sale is not recorded here: ``order.paid`` is still being
    retried. Not a refusal: the refund's message is retried after it (parked beside it if it
    never comes, never lost)."""


class StockNotLoaded(WaitForRecovery):
    """Redis does not hold the performance (it restarted empty): a sale waits for the refill
    from Postgres (retried for as long as it takes, never parked), rather than being refused
    and its payment refunded."""
