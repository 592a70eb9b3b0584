"""What the payments use cases refuse (entrypoints map each to a problem)."""


class PaymentsError(Exception):
    """A use case refused; the message says why, for the caller."""


class IntentNotFound(PaymentsError):
    pass


class OrderNotPayable(PaymentsError):
    """The order expired or was cancelled: it gets no intent."""


class InvalidWebhookSignature(PaymentsError):
    """Forged, re-signed or stale: changes nothing."""


class InvalidWebhookPayload(PaymentsError):
    """Signed, but not a Stripe event."""
