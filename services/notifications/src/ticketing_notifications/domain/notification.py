"""What we send: one template per kind of e-mail, and at most one e-mail per (event, template)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ticketing_contracts import Event, NotificationFailedV1, NotificationSentV1
from ticketing_runtime.backoff import Retry

#: why a box-office sale's e-mail is parked at once: nobody to send it to, so no fault to fix
NO_ADDRESS = "the customer gave no e-mail address (a box-office sale)"
#: an e-mail not sent when the customer's personal data was erased: nobody to send it to now
ERASED = "not sent: the customer's personal data was erased"
#: a confirmation not sent: every ticket of the order was refunded before it could go out (the
#: refund's own e-mail tells the customer); its tickets' PDF is gone, so no retry would send it
NO_TICKETS_LEFT = "not sent: every ticket of the order was refunded before it was confirmed"
#: why an e-mail is parked with nothing for staff to fix (not in the parked report)
NOTHING_TO_FIX = (NO_ADDRESS, ERASED, NO_TICKETS_LEFT)


class Template(StrEnum):
    ORDER_CONFIRMATION = "order_confirmation"
    PAYMENT_LINK = "payment_link"
    PAYMENT_FAILED = "payment_failed"
    ORDER_EXPIRED = "order_expired"
    REFUND_DONE = "refund_done"
    REFUND_FAILED = "refund_failed"  # the card's bank refused it: staff pay it back another way
    LATE_PAYMENT_REFUNDED = "late_payment_refunded"
    UNWANTED_PAYMENT_REFUNDED = "unwanted_payment_refunded"  # paid after the order was cancelled
    PERFORMANCE_CANCELLED = "performance_cancelled"
    PERFORMANCE_CANCELLED_UNPAID = "performance_cancelled_unpaid"  # nothing paid, nothing owed
    PERFORMANCE_CANCELLED_AT_DESK = "performance_cancelled_at_desk"  # refunded at the box office
    ORDER_LINKS = "order_links"  # "find my tickets": links to every order of an address


def notification_key(event_id: str, template: Template | str) -> str:
    """The de-duplication key: a redelivered event finds its e-mail already recorded under it.

    Raises ``ValueError`` for an empty event id or a template we do not have.
    """
    if not event_id:
        raise ValueError("a notification needs the id of the event it answers")
    return f"{event_id}:{Template(template).value}"


def confirmation_key(order_id: str) -> str:
    """The key of an order's one confirmation, whichever render of its tickets owed it."""
    return f"order:{order_id}:{Template.ORDER_CONFIRMATION.value}"


class NotificationStatus(StrEnum):
    PENDING = "pending"  # to send (again) once ``next_attempt_at`` is due
    SENT = "sent"
    PARKED = "parked"  # gave up (see ``last_error``): visible to staff, who may resend it


@dataclass
class Notification:
    """One e-mail we owe: sent once, or postponed with backoff, or parked for staff."""

    notification_id: str
    key: str
    template: Template
    order_id: str
    facts: dict[str, Any]
    status: NotificationStatus
    recipient: str | None
    attempts: int
    last_error: str | None
    smtp_message_id: str | None
    created_at: datetime
    sent_at: datetime | None

    def mark_sent(self, recipient: str, smtp_message_id: str) -> list[Event]:
        self.status = NotificationStatus.SENT
        self.recipient, self.smtp_message_id = recipient, smtp_message_id
        self.attempts += 1
        self.last_error = None
        return [
            NotificationSentV1(
                notification_id=self.notification_id,
                template=self.template.value,
                recipient=recipient,
                order_id=self.order_id,
                smtp_message_id=smtp_message_id,
            )
        ]

    def postpone(self, error: str, retry: Retry) -> list[Event]:
        """A failed attempt: tried again after the backoff, or parked (announced as failed)."""
        self.attempts, self.last_error = retry.attempts, error
        self.status = NotificationStatus.PARKED if retry.park else NotificationStatus.PENDING
        if not retry.park:
            return []
        return [
            NotificationFailedV1(
                notification_id=self.notification_id,
                template=self.template.value,
                recipient=self.recipient or "",
                order_id=self.order_id,
                error=error,
                attempts=retry.attempts,
            )
        ]
