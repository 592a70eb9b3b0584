"""The render job of an order: one version to render, retried with growing delay, parked for
staff after the limit; done once its PDFs are stored. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ticketing_contracts import Event, TicketsRenderedV1
from ticketing_runtime.backoff import Retry


class RenderStatus(StrEnum):
    PENDING = "pending"  # to render once ``next_attempt_at`` is due
    DONE = "done"
    PARKED = "parked"  # gave up (see ``last_error``): staff fix the cause and render again


@dataclass(frozen=True)
class StoredDocument:
    """One PDF written to the document store: the order's (``ticket_id`` None) or a ticket's."""

    document_id: str
    order_id: str
    ticket_id: str | None
    version: int
    storage_key: str
    size_bytes: int


@dataclass
class RenderJob:
    order_id: str
    version: int
    status: RenderStatus
    attempts: int
    last_error: str | None
    requested_at: datetime
    rendered_at: datetime | None
    render_ms: int | None

    def finish_empty(self) -> list[Event]:
        """Nothing left to print (every ticket refunded meanwhile): done, nothing announced."""
        self.status, self.render_ms, self.last_error = RenderStatus.DONE, 0, None
        return []

    def finish(self, stored: list[StoredDocument], render_ms: int) -> list[Event]:
        """The version's PDFs are stored: done, and announced with the id of each document."""
        self.status, self.render_ms, self.last_error = RenderStatus.DONE, render_ms, None
        return [
            TicketsRenderedV1(
                order_id=self.order_id,
                order_document_id=next(d.document_id for d in stored if d.ticket_id is None),
                ticket_document_ids={
                    d.ticket_id: d.document_id for d in stored if d.ticket_id is not None
                },
                version=self.version,
            )
        ]

    def postpone(self, error: str, retry: Retry) -> list[Event]:
        """A failed attempt: rendered again after the backoff, or parked (nothing announced:
        staff see it in the reconciliation report)."""
        self.attempts, self.last_error = retry.attempts, error
        self.status = RenderStatus.PARKED if retry.park else RenderStatus.PENDING
        return []
