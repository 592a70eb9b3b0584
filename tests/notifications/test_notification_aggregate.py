"""A notification changes state through its methods and returns the events to publish."""

from __future__ import annotations

from datetime import UTC, datetime

from ticketing_contracts import NotificationFailedV1, NotificationSentV1
from ticketing_notifications.domain.notification import (
    Notification,
    NotificationStatus,
    Template,
)
from ticketing_runtime.backoff import Retry

NOW = datetime.now(UTC)


def owed() -> Notification:
    return Notification(
        "ntf_1", "evt:order_expired", Template.ORDER_EXPIRED, "ord_1", {},
        NotificationStatus.PENDING, None, 0, None, None, NOW, None,
    )  # fmt: skip


def test_sent_records_the_recipient_and_announces_it() -> None:
    note = owed()
    [sent] = note.mark_sent("ana@example.com", "<m1@example.com>")
    assert isinstance(sent, NotificationSentV1)
    assert (sent.template, sent.recipient, sent.smtp_message_id) == (
        "order_expired",
        "ana@example.com",
        "<m1@example.com>",
    )
    assert (note.status, note.attempts, note.last_error) == (NotificationStatus.SENT, 1, None)


def test_postponed_waits_quietly_and_parked_is_announced() -> None:
    note = owed()
    assert note.postpone("smtp down", Retry(1, NOW, park=False)) == []
    assert (note.status, note.attempts, note.last_error) == (
        NotificationStatus.PENDING,
        1,
        "smtp down",
    )
    [failed] = note.postpone("smtp down", Retry(2, NOW, park=True))
    assert isinstance(failed, NotificationFailedV1)
    assert (failed.attempts, failed.error, failed.recipient) == (2, "smtp down", "")
    assert note.status is NotificationStatus.PARKED
