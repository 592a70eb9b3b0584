"""What the orders use cases refuse, named by kind; ``entrypoints/problems.py`` gives each one its
HTTP answer (no status here: the same refusal reaches a consumer or a loop too)."""

from __future__ import annotations


class OrdersRefusal(Exception):
    """A use case refused; ``detail`` says why, for a person."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class OrderNotFound(OrdersRefusal):
    pass


class HoldNotFound(OrdersRefusal):
    """Unknown hold, or another session's (answered alike, so nobody learns it exists)."""


class HoldHasOrder(OrdersRefusal):
    pass


class IdempotencyKeyReused(OrdersRefusal):
    pass


class OrderInProgress(OrdersRefusal):
    pass


class OrderNotCancellable(OrdersRefusal):
    pass


class CouponNotFound(OrdersRefusal):
    pass


class CouponCodeTaken(OrdersRefusal):
    pass


class CouponChangeRefused(OrdersRefusal):
    pass


class CouponInUse(OrdersRefusal):
    pass


class TicketNotUsed(OrdersRefusal):
    pass


class CustomerErased(OrdersRefusal):
    """The customer's personal data was erased: a correction would bring it back."""


class UnknownCursor(OrdersRefusal):
    pass


class CustomerStillNeeded(OrdersRefusal):
    """An order of the customer's is still being bought, or has tickets still to be used."""
