"""Documents' use cases in this process against the real PostgreSQL and a filesystem store, orders
stubbed at the HTTP boundary: a paid order's job is asked for once, due orders render together
(up to the batch size), each failing order backs off alone and is parked after the limit (at once
when orders has no such order), a re-render supersedes the current version."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text

from tests.support.scratch_service import published, scratch_service
from tests.support.stub_neighbour import StubNeighbour, stub_neighbour
from tests.support.waiting import eventually
from ticketing_contracts import TicketsRenderedV1
from ticketing_documents.adapters import documents_repository, tables
from ticketing_documents.adapters.document_store import document_store_from
from ticketing_documents.domain.render_job import RenderJob, RenderStatus, StoredDocument
from ticketing_documents.service_layer import reading, rendering
from ticketing_documents.service_layer.container import Documents
from ticketing_documents.service_layer.exceptions import DocumentNotReady, RenderNotFound
from ticketing_documents.service_layer.personal_data import ForgetCustomer, forget_customer
from ticketing_documents.service_layer.rendering import (
    RenderAgain,
    RenderPaidOrder,
    RenderRefundedOrder,
    render_due,
    render_jobs,
    request_first_render,
    request_render_after_refund,
    request_render_again,
)
from ticketing_documents.settings import DocumentsSettings
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.due_work import attempts_in_flight
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceClient

pytestmark = pytest.mark.infra
STAFF = Identity(kind="staff", subject="staff:tests", roles=frozenset({"staff"}))


def order_facts(order_id: str, tickets: int = 2, status: str = "valid") -> dict[str, Any]:
    return {
        "order_id": order_id,
        "order_number": f"T-{order_id[-4:]}",
        "customer": {"name": "Ana"},
        "event_name": "Hamlet",
        "venue_name": "The Globe",
        "venue_address": "21 New Globe Walk",
        "starts_at": "2027-03-01T19:30:00+00:00",
        "time_zone": "Europe/London",
        "tickets": [
            {
                "ticket_id": f"{order_id}_t{n}",
                "ticket_number": f"T-{n}",
                "secret": f"secret-{order_id}-{n}",
                "status": status,
                "tier_name": "Stalls",
                "seat": {"section": "Stalls", "row": "B", "number": n},
            }
            for n in range(1, tickets + 1)
        ],
    }


@pytest.fixture
def orders() -> Iterator[StubNeighbour]:
    with stub_neighbour() as stub:
        yield stub


@pytest.fixture
async def docs(
    infrastructure: None, orders: StubNeighbour, tmp_path: Path
) -> AsyncIterator[Documents]:
    async with scratch_service(
        "documents",
        DocumentsSettings,
        orders_url=orders.url,
        documents_dir=tmp_path / "documents",
        render_batch_size=2,
        render_retry_base_s=30.0,
        render_max_attempts=2,
    ) as (settings, database):
        client = ServiceClient(settings, orders.url)
        store = document_store_from(settings)
        yield Documents(database=database, orders=client, store=store, settings=settings)
        await client.close()
        await store.close()


async def paid(docs: Documents, orders: StubNeighbour, **facts: Any) -> str:
    order_id = new_id("ord")
    orders.answer_json(f"/internal/orders/{order_id}", order_facts(order_id, **facts))
    async with docs.database.unit_of_work() as uow:
        await request_first_render(uow, RenderPaidOrder(order_id))
        await uow.commit()
    return order_id


async def make_due(docs: Documents) -> None:
    async with docs.database.engine.begin() as conn:
        await conn.execute(tables.render_jobs.update().values(next_attempt_at=func.now()))


async def test_paid_orders_render_in_batches_and_are_announced_once(
    docs: Documents, orders: StubNeighbour, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[list[str]] = []

    async def recorded(docs: Documents, uow: UnitOfWork, jobs: Sequence[RenderJob]) -> int:
        batches.append(sorted(job.order_id for job in jobs))
        return await render_jobs(docs, uow, jobs)

    monkeypatch.setattr(rendering, "render_jobs", recorded)
    first = await paid(docs, orders)
    async with docs.database.unit_of_work() as uow:  # order.paid redelivered
        await request_first_render(uow, RenderPaidOrder(first))
        await uow.commit()
    others = [await paid(docs, orders, tickets=1) for _ in range(2)]
    with pytest.raises(DocumentNotReady):
        await reading.current_pdf(docs, first, None)

    assert await render_due(docs) == 3
    assert await render_due(docs) == 0
    assert [len(batch) for batch in batches] == [2, 1]  # TICKETING_RENDER_BATCH_SIZE=2
    assert sorted(o for batch in batches for o in batch) == sorted([first, *others])

    events = await published(docs.database)
    assert [key for key, _ in events] == [TicketsRenderedV1.event_type] * 3
    by_order = {event["order_id"]: event for _, event in events}
    assert set(by_order) == {first, *others}
    assert set(by_order[first]["ticket_document_ids"]) == {f"{first}_t1", f"{first}_t2"}
    assert by_order[first]["version"] == 1
    pdf = await reading.current_pdf(docs, first, None)
    assert pdf.data.startswith(b"%PDF")
    assert pdf.document_id == by_order[first]["order_document_id"]
    ticket = await reading.current_pdf(docs, first, f"{first}_t2")
    assert ticket.document_id == by_order[first]["ticket_document_ids"][f"{first}_t2"]
    job = await reading.render_status(docs, first)
    assert (job.status, job.version, job.attempts) == (RenderStatus.DONE, 1, 0)


async def test_a_failing_order_backs_off_alone_and_is_parked_after_the_limit(
    docs: Documents, orders: StubNeighbour
) -> None:
    fine = await paid(docs, orders)
    unknown = await paid(docs, orders)
    orders.answer_json(f"/internal/orders/{unknown}", {"detail": "no such order"}, status=404)
    down = await paid(docs, orders)
    orders.answer_json(f"/internal/orders/{down}", {"detail": "down"}, status=503)

    await render_due(docs)
    assert (await reading.render_status(docs, fine)).status is RenderStatus.DONE
    parked_at_once = await reading.render_status(docs, unknown)
    assert (parked_at_once.status, parked_at_once.attempts) == (RenderStatus.PARKED, 1)
    waiting = await reading.render_status(docs, down)
    assert (waiting.status, waiting.attempts) == (RenderStatus.PENDING, 1)
    assert "503" in str(waiting.last_error)
    assert await render_due(docs) == 0, "not due before its backoff is over"

    await make_due(docs)
    await render_due(docs)  # attempt 2 of 2
    given_up = await reading.render_status(docs, down)
    assert (given_up.status, given_up.attempts) == (RenderStatus.PARKED, 2)
    assert {job.order_id for job in await reading.parked_renders(docs)} == {unknown, down}
    assert [event["order_id"] for _, event in await published(docs.database)] == [fine]


async def test_an_order_refunded_meanwhile_is_done_without_documents(
    docs: Documents, orders: StubNeighbour
) -> None:
    refunded = await paid(docs, orders, status="refunded")
    assert await render_due(docs) == 1
    job = await reading.render_status(docs, refunded)
    assert job.status is RenderStatus.DONE
    assert await published(docs.database) == []
    assert (await reading.order_documents(docs, refunded))["documents"] == []


async def test_a_rerender_supersedes_the_current_version(
    docs: Documents, orders: StubNeighbour
) -> None:
    order_id = await paid(docs, orders)
    await render_due(docs)
    async with docs.database.unit_of_work() as uow:
        await request_render_again(uow, RenderAgain(order_id, STAFF))
    await render_due(docs)

    current = await reading.current_pdf(docs, order_id, None)
    assert current.version == 2
    listed = await reading.order_documents(docs, order_id)
    assert listed["render_job"]["version"] == 2
    superseded = [d for d in listed["documents"] if d["superseded_at"] is not None]
    assert {d["version"] for d in superseded} == {1}
    keys = [key for key, _ in await published(docs.database)]
    assert keys == [
        TicketsRenderedV1.event_type,
        "audit.action.recorded.v1",
        TicketsRenderedV1.event_type,
    ]
    with pytest.raises(RenderNotFound):
        await reading.render_status(docs, "ord_never_paid")


async def test_a_refund_withdraws_the_whole_orders_pdf_until_the_next_version_is_rendered(
    docs: Documents, orders: StubNeighbour
) -> None:
    """Version 1 held the refunded ticket: served (or attached to a late confirmation) until
    version 2 rendered, or for ever if that render parked, its QR code still scanned."""
    order_id = await paid(docs, orders)
    await render_due(docs)
    assert (await reading.current_pdf(docs, order_id, None)).version == 1
    kept_ticket = f"{order_id}_t1"
    orders.answer_json(f"/internal/orders/{order_id}", order_facts(order_id, tickets=1))
    async with docs.database.unit_of_work() as uow:
        await request_render_after_refund(uow, RenderRefundedOrder(order_id))
        await uow.commit()

    with pytest.raises(DocumentNotReady):
        await reading.current_pdf(docs, order_id, None)
    assert (await reading.current_pdf(docs, order_id, kept_ticket)).version == 1  # still valid
    await render_due(docs)
    assert (await reading.current_pdf(docs, order_id, None)).version == 2


async def test_a_rerender_of_an_order_never_rendered_is_refused_and_leaves_nothing(
    docs: Documents,
) -> None:
    never_paid = new_id("ord")
    with pytest.raises(RenderNotFound, match="were ever rendered"):
        async with docs.database.unit_of_work() as uow:
            await request_render_again(uow, RenderAgain(never_paid, STAFF))

    with pytest.raises(RenderNotFound):
        await reading.render_status(docs, never_paid)
    assert await published(docs.database) == []
    assert await render_due(docs) == 0


async def test_an_erasure_heard_while_a_render_is_in_flight_deletes_what_it_stores(
    docs: Documents, orders: StubNeighbour
) -> None:
    """A render that read the order before the erasure stores its PDFs (with the customer's
    name) after it: the erasure deleted what was there, and the render's PDFs stayed, served.
    The erasure now waits for the render in flight, then deletes its PDFs too."""
    order_id = await paid(docs, orders)
    await render_due(docs)
    async with docs.database.unit_of_work() as uow:
        await request_render_again(uow, RenderAgain(order_id, STAFF))
    async with docs.database.unit_of_work() as rendering_now:
        [job] = await documents_repository.due_jobs(rendering_now.session, 1)  # claimed
        stored = StoredDocument(new_id("doc"), order_id, None, job.version, f"k-{order_id}", 1)
        await documents_repository.replace_current(rendering_now.session, order_id, [stored])

        async def erase() -> None:
            async with docs.database.unit_of_work() as uow:
                backend.append(await uow.session.scalar(text("SELECT pg_backend_pid()")))
                await forget_customer(docs, uow, ForgetCustomer(order_id))
                await uow.commit()

        backend: list[int] = []
        erasing = asyncio.ensure_future(erase())
        waiting = text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted")

        async def erasure_waits() -> bool:
            if not backend:
                return False
            async with docs.database.engine.connect() as conn:
                return bool(await conn.scalar(waiting, {"pid": backend[0]}))

        await eventually(erasure_waits, timeout=10, interval=0.02, what="the erasure waiting")
        await rendering_now.commit()
    await erasing
    assert (await reading.order_documents(docs, order_id))["documents"] == []


async def test_a_render_that_killed_its_worker_three_times_is_parked_and_the_rest_render(
    docs: Documents, orders: StubNeighbour
) -> None:
    """What three workers killed in the act (WeasyPrint crashing in native code, memory running
    out) leave behind: the attempt each began. Rendered again, it would kill the next worker,
    and with it every render behind it."""
    deadly, fine = await paid(docs, orders), await paid(docs, orders)
    async with docs.database.engine.begin() as conn:
        await conn.execute(
            insert(attempts_in_flight).values(
                work="render_jobs", key=deadly, started=3, last_started_at=func.now()
            )
        )

    await render_due(docs)

    parked = await reading.render_status(docs, deadly)
    assert (parked.status, parked.attempts) == (RenderStatus.PARKED, 3)
    assert "died or failed in each of its last 3 attempts" in str(parked.last_error)
    assert (await reading.render_status(docs, fine)).status is RenderStatus.DONE
    assert [job.order_id for job in await reading.parked_renders(docs)] == [deadly]
    async with docs.database.engine.connect() as conn:
        left = (await conn.execute(select(attempts_in_flight))).all()
    assert left == [], "a finished render leaves no attempt behind, a parked one neither"
