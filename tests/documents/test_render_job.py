"""A render job changes state through its methods and returns the events to publish."""

from __future__ import annotations

from datetime import UTC, datetime

from ticketing_contracts import TicketsRenderedV1
from ticketing_documents.domain.render_job import RenderJob, RenderStatus, StoredDocument
from ticketing_runtime.backoff import Retry

NOW = datetime.now(UTC)


def job() -> RenderJob:
    return RenderJob("ord_1", 2, RenderStatus.PENDING, 0, None, NOW, None, None)


def stored(document_id: str, ticket_id: str | None) -> StoredDocument:
    return StoredDocument(document_id, "ord_1", ticket_id, 2, f"key/{document_id}", 100)


def test_finished_announces_every_document_of_its_version() -> None:
    rendering = job()
    docs = [stored("doc_o", None), stored("doc_a", "tkt_a"), stored("doc_b", "tkt_b")]
    [rendered] = rendering.finish(docs, render_ms=40)
    assert isinstance(rendered, TicketsRenderedV1)
    assert (rendered.order_document_id, rendered.version) == ("doc_o", 2)
    assert rendered.ticket_document_ids == {"tkt_a": "doc_a", "tkt_b": "doc_b"}
    assert (rendering.status, rendering.render_ms) == (RenderStatus.DONE, 40)


def test_nothing_left_to_print_is_done_without_an_event() -> None:
    empty = job()
    assert empty.finish_empty() == []
    assert empty.status is RenderStatus.DONE


def test_a_failure_waits_then_parks_without_an_event() -> None:
    failing = job()
    assert failing.postpone("orders down", Retry(1, NOW, park=False)) == []
    assert (failing.status, failing.attempts) == (RenderStatus.PENDING, 1)
    assert failing.postpone("orders down", Retry(2, NOW, park=True)) == []
    assert (failing.status, failing.last_error) == (RenderStatus.PARKED, "orders down")
