"""Event objects: a snapshot of an object at the moment something happened to it."""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

from stripe_emulator.state import JSON, State, new_id, now

API_VERSION = "2024-06-20"


@dataclass(frozen=True)
class RequestInfo:
    """Which API request caused an event (``event.request``)."""

    id: str | None
    idempotency_key: str | None


Listener = Callable[[JSON], None]


class EventLog:
    def __init__(self, state: State) -> None:
        self._state = state
        self._listeners: list[Listener] = []
        self.pending_webhooks: Callable[[], int] = lambda: 0

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def emit(self, type_: str, obj: JSON, request: RequestInfo) -> JSON:
        event: JSON = {
            "id": new_id("evt_"),
            "object": "event",
            "api_version": API_VERSION,
            "created": now(),
            "data": {"object": copy.deepcopy(obj)},
            "livemode": False,
            "pending_webhooks": self.pending_webhooks(),
            "request": {"id": request.id, "idempotency_key": request.idempotency_key},
            "type": type_,
        }
        self._state.events[event["id"]] = event
        for listener in self._listeners:
            listener(event)
        return event

    def get(self, event_id: str) -> JSON | None:
        return self._state.events.get(event_id)

    def newest_first(self, types: list[str] | None = None) -> list[JSON]:
        """Every event, newest first; ``types`` may use ``*`` wildcards (``charge.*``)."""
        events = list(reversed(self._state.events.values()))
        if not types:
            return events
        return [e for e in events if any(fnmatch.fnmatchcase(e["type"], t) for t in types)]
