"""What we send: one template per kind of e-mail, and at most one e-mail per (event, template)."""

from __future__ import annotations

from enum import StrEnum


class Template(StrEnum):
    ORDER_CONFIRMATION = "order_confirmation"
    PAYMENT_LINK = "payment_link"
    PAYMENT_FAILED = "payment_failed"
    ORDER_EXPIRED = "order_expired"
    REFUND_DONE = "refund_done"
    LATE_PAYMENT_REFUNDED = "late_payment_refunded"


def notification_key(event_id: str, template: Template | str) -> str:
    """The de-duplication key: a redelivered event finds its e-mail already recorded under it.

    Raises ``ValueError`` for an empty event id or a template we do not have.
    """
    if not event_id:
        raise ValueError("a notification needs the id of the event it answers")
    return f"{event_id}:{Template(template).value}"
