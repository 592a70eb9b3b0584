"""The catalogue of every published event type: the single place that maps a type to its model."""

from __future__ import annotations

from ticketing_contracts import events
from ticketing_contracts.base import Event

ALL_EVENTS: tuple[type[Event], ...] = (
    events.HoldReleasedV1,
    events.HoldExpiredV1,
    events.InventoryCommittedV1,
    events.InventoryCommitRejectedV1,
    events.InventoryReleasedV1,
    events.PerformancePublishedV1,
    events.PerformanceCancelledV1,
    events.OrderPlacedV1,
    events.OrderPaidV1,
    events.OrderExpiredV1,
    events.OrderCancelledV1,
    events.OrderRefundedV1,
    events.OrderRefundOwedV1,
    events.OrderCustomerErasedV1,
    events.OrderCustomerCorrectedV1,
    events.OrderLinksRequestedV1,
    events.TicketCheckedInV1,
    events.TicketCheckInResetV1,
    events.PaymentIntentCreatedV1,
    events.PaymentSucceededV1,
    events.PaymentFailedV1,
    events.PaymentRefundedV1,
    events.PaymentRefundFailedV1,
    events.TicketsRenderedV1,
    events.NotificationSentV1,
    events.NotificationFailedV1,
    events.PlatformProbeRequestedV1,
    events.PlatformProbeAnsweredV1,
    events.AuditActionRecordedV1,
)

EVENTS_BY_TYPE: dict[str, type[Event]] = {model.event_type: model for model in ALL_EVENTS}


def emitted_by(service: str) -> tuple[type[Event], ...]:
    """The event types ``service`` publishes (their ``source_service``), in catalogue order."""
    return tuple(model for model in ALL_EVENTS if model.source_service == service)


EXCHANGE = "ticketing.events"


class UnknownEventType(LookupError):
    pass


def model_for(event_type: str) -> type[Event]:
    try:
        return EVENTS_BY_TYPE[event_type]
    except KeyError:
        raise UnknownEventType(f"no event model for type {event_type!r}") from None
