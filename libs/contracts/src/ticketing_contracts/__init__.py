"""Versioned event contracts of the ticketing platform."""

from ticketing_contracts.base import Customer, Event, HeldLine, Money
from ticketing_contracts.catalog import ALL_EVENTS, EVENTS_BY_TYPE, EXCHANGE, emitted_by, model_for
from ticketing_contracts.envelope import Envelope, EnvelopeError
from ticketing_contracts.events import *  # noqa: F403
from ticketing_contracts.events import __all__ as _event_names

__all__ = [
    "ALL_EVENTS",
    "EVENTS_BY_TYPE",
    "EXCHANGE",
    "Customer",
    "Envelope",
    "EnvelopeError",
    "Event",
    "HeldLine",
    "Money",
    "emitted_by",
    "model_for",
    *_event_names,
]
