"""Rendering an order's tickets off the checkout path: one job per order and version, retried
with growing delay, parked after the limit. A process killed mid-render leaves its job pending
(the transaction dies with it) and the next attempt writes the same keys again."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from ticketing_contracts import OrderPaidV1
from ticketing_documents.adapters import documents_repository as repo
from ticketing_documents.adapters.pdf_renderer import RenderedOrder, render_orders_async
from ticketing_documents.domain.render_job import RenderJob, StoredDocument
from ticketing_documents.domain.ticket_document import (
    PLACEHOLDER,
    UNKNOWN_START,
    OrderDocument,
    SeatLabel,
    TicketFace,
    document_key,
    ticket_document_key,
)
from ticketing_documents.service_layer.container import Documents
from ticketing_documents.service_layer.exceptions import RenderNotFound
from ticketing_runtime.audit import record_action
from ticketing_runtime.backoff import Backoff
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.due_work import run_due_work, work_off_due
from ticketing_runtime.ids import new_id
from ticketing_runtime.time_zones import usable_zone_name

log = logging.getLogger(__name__)
PRINTABLE = frozenset({"valid", "used"})


class OrderNotReady(Exception):
    """Orders could not tell us the order (down, or not paid yet): try again later."""


class OrderUnknown(Exception):
    """Orders has no such order: ``order.paid`` (or the sale of it) came from elsewhere. Parked
    for staff at once (orders publishes ``order.paid`` only after committing the order, and
    inventory sells only on ``order.paid``, so waiting cannot help)."""


@dataclass(frozen=True)
class RenderPaidOrder:
    """Version 1 of the order's tickets (a redelivery, or the second of the two events that
    ask for it, asks for nothing more): ``order.paid`` paid in time, or
    ``inventory.sale.committed`` (a late payment's seats are printed only once they are sold)."""

    order_id: str


def renders_on_payment(paid: OrderPaidV1) -> bool:
    """Paid in time: its hold was kept for it, the sale stands. Paid after its deadline: its
    seats were let go and may be sold to someone else; printed on ``inventory.sale.committed``
    (refunded, never printed, on ``inventory.sale.rejected``), so no confirmation e-mail with
    tickets precedes the refund."""
    return not paid.after_deadline


@dataclass(frozen=True)
class RenderAgain:
    """Staff: the next version (after a refund or a name change), superseding the current one."""

    order_id: str
    staff: Identity


async def request_first_render(uow: UnitOfWork, command: RenderPaidOrder) -> None:
    """Only a job here: the checkout never waits for a PDF."""
    await repo.request_render(uow.session, command.order_id, again=False)


@dataclass(frozen=True)
class RenderRefundedOrder:
    """``order.refunded`` with tickets voided: the next version prints only those still valid
    (none left: the current PDFs are withdrawn), so a refunded ticket's PDF is not resold."""

    order_id: str


async def request_render_after_refund(uow: UnitOfWork, command: RenderRefundedOrder) -> None:
    """Until the next version is rendered, the order's PDF of all its tickets is withdrawn (a
    download or a late confirmation hears "being prepared"): it still holds the refunded
    tickets, which would scan for whoever got the PDF."""
    await repo.request_render(uow.session, command.order_id, again=True)
    await repo.withdraw_whole_order(uow.session, command.order_id)


async def request_render_again(uow: UnitOfWork, command: RenderAgain) -> None:
    """Recorded with the staff action that asked for it; committed. Refused for an order that
    documents never rendered (unknown, unpaid, or its payment not yet heard of): it renders
    every paid order by itself, and a job made here would only park."""
    if not await repo.request_next_version(uow.session, command.order_id):
        raise RenderNotFound(
            f"no tickets of order {command.order_id!r} were ever rendered: documents renders an"
            " order once it is paid, so an unknown or unpaid order has none to render again"
        )
    await record_action(
        uow,
        command.staff,
        "documents.rerender.requested",
        order_id=command.order_id,
        target=("order", command.order_id),
    )
    await uow.commit()


async def render_due(docs: Documents) -> int:
    """Render every due job, up to ``render_batch_size`` orders laid out together per
    transaction; returns how many jobs were settled."""
    batch = docs.settings.render_batch_size
    return await work_off_due(
        docs.database,
        repo.due_jobs,
        partial(render_jobs, docs),
        batch_size=batch,
        guard=repo.crash_guard,
    )


async def render_jobs(docs: Documents, uow: UnitOfWork, jobs: Sequence[RenderJob]) -> int:
    """The due ``jobs`` laid out together (cheaper per ticket), each settled on its own: an order
    that cannot be fetched, laid out or stored is postponed, the others are stored."""
    started = time.perf_counter()
    fetched = await asyncio.gather(
        *(_order_document(docs, job.order_id, job.version) for job in jobs),
        return_exceptions=True,
    )
    printable: list[tuple[RenderJob, OrderDocument]] = []
    for job, doc in zip(jobs, fetched, strict=True):
        if isinstance(doc, BaseException):
            await _postpone(docs, uow, job, _reraise_cancel(doc))
        elif not doc.tickets:  # every ticket refunded: nothing to print, nothing to serve
            job.finish_empty()
            await repo.save_finished(uow.session, job)
            await repo.withdraw_current(uow.session, job.order_id)
        else:
            printable.append((job, doc))
    if not printable:
        return len(jobs)
    results = await _render_together([doc for _, doc in printable])
    elapsed_ms = (time.perf_counter() - started) * 1000
    tickets = sum(len(doc.tickets) for _, doc in printable)
    for (job, doc), result in zip(printable, results, strict=True):
        try:
            if isinstance(result, Exception):
                raise result
            stored = await _store(docs, result)
        except Exception as exc:  # every failure is retried, then parked: never lost
            await _postpone(docs, uow, job, exc)
            continue
        await _record(uow, job, doc, stored, int(elapsed_ms * len(doc.tickets) / tickets))
    return len(jobs)


async def _render_together(orders: list[OrderDocument]) -> list[RenderedOrder | Exception]:
    """One layout for all; if that fails, each alone, so that one bad order fails alone."""
    try:
        return list(await render_orders_async(orders))
    except Exception as exc:
        if len(orders) == 1:
            return [exc]
        log.warning("rendering %d orders together failed (%s); one by one", len(orders), exc)
    alone: list[RenderedOrder | Exception] = []
    for order in orders:
        try:
            [rendered] = await render_orders_async([order])
            alone.append(rendered)
        except Exception as exc:
            alone.append(exc)
    return alone


def _reraise_cancel(error: BaseException) -> Exception:
    if not isinstance(error, Exception):
        raise error  # cancellation and the like are not an order's failure
    return error


async def _record(
    uow: UnitOfWork,
    job: RenderJob,
    doc: OrderDocument,
    stored: list[StoredDocument],
    render_ms: int,
) -> None:
    rendered = job.finish(stored, render_ms)
    await repo.save_finished(uow.session, job)
    await repo.replace_current(uow.session, doc.order_id, stored)
    await uow.publish_all(rendered)
    log.info(
        "order %s v%d: %d tickets (%d ms)", doc.order_id, doc.version, len(doc.tickets), render_ms
    )


async def _postpone(docs: Documents, uow: UnitOfWork, job: RenderJob, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"
    # an order orders does not know will not appear later: parked for staff at once
    s = docs.settings
    backoff = Backoff(s.render_retry_base_s, s.render_retry_cap_s, s.render_max_attempts)
    retry = backoff.after_failure(job.attempts, retryable=not isinstance(exc, OrderUnknown))
    (log.error if retry.park else log.warning)(
        "rendering order %s failed (attempt %d%s): %s",
        job.order_id,
        retry.attempts,
        ", parked" if retry.park else "",
        error,
    )
    job.postpone(error, retry)
    await repo.save_postponed(uow.session, job, retry)


async def _order_document(docs: Documents, order_id: str, version: int) -> OrderDocument:
    answer = await docs.orders.request("GET", f"/internal/orders/{order_id}")
    if answer.status_code == 404:
        raise OrderUnknown(f"orders has no order {order_id}")
    if answer.status_code != 200:
        raise OrderNotReady(f"orders answered {answer.status_code} for {order_id}")
    return document_of(answer.json(), version)


def document_of(order: dict[str, Any], version: int) -> OrderDocument:
    """What to print from what orders says. Odd catalogue data never stops a paid order's
    tickets: an unknown zone prints in UTC, a missing fact prints as a placeholder (warned)."""
    order_id = order["order_id"]
    return OrderDocument(
        order_id=order_id,
        order_number=order["order_number"],
        event_name=_given(order, "event_name"),
        venue_name=_given(order, "venue_name"),
        venue_address=order.get("venue_address"),
        starts_at=_start(order),
        time_zone=usable_zone_name(order.get("time_zone"), what=f"tickets of {order_id}"),
        tickets=tuple(
            TicketFace(
                ticket_id=t["ticket_id"],
                ticket_number=t["ticket_number"],
                secret=t["secret"],
                manual_code=t["ticket_number"],
                holder_name=order["customer"]["name"] or PLACEHOLDER,
                tier_name=t["tier_name"] or PLACEHOLDER,
                seat=SeatLabel(t["seat"]["section"], t["seat"]["row"], str(t["seat"]["number"]))
                if t["seat"]
                else None,
            )
            for t in order["tickets"]
            if t["status"] in PRINTABLE
        ),
        version=version,
    )


def _given(order: dict[str, Any], field: str) -> str:
    value = order.get(field)
    if isinstance(value, str) and value.strip():
        return value
    log.warning("tickets of %s: no %s, printed as %r", order["order_id"], field, PLACEHOLDER)
    return PLACEHOLDER


def _start(order: dict[str, Any]) -> datetime:
    try:
        starts_at = datetime.fromisoformat(order["starts_at"])
    except (TypeError, ValueError):
        starts_at = None
    if starts_at is None or starts_at.tzinfo is None:
        log.warning(
            "tickets of %s: start %r unusable, printed as to be announced",
            order["order_id"],
            order.get("starts_at"),
        )
        return UNKNOWN_START
    return starts_at


async def _store(docs: Documents, rendered: RenderedOrder) -> list[StoredDocument]:
    doc = rendered.order
    files = [(None, document_key(doc.order_id, doc.version), rendered.pdf)] + [
        (face.ticket_id, ticket_document_key(doc.order_id, doc.version, face.ticket_id), page)
        for face, page in zip(doc.tickets, rendered.ticket_pdfs, strict=True)
    ]
    for _, key, data in files:
        await docs.store.put(key, data)
    return [
        StoredDocument(
            document_id=new_id("doc"),
            order_id=doc.order_id,
            ticket_id=ticket_id,
            version=doc.version,
            storage_key=key,
            size_bytes=len(data),
        )
        for ticket_id, key, data in files
    ]


async def render_loop(docs: Documents, stop: asyncio.Event) -> None:
    """Due jobs, up to ``render_batch_size`` orders laid out together per transaction."""
    settings = docs.settings
    await run_due_work(
        docs.database,
        repo.due_jobs,
        partial(render_jobs, docs),
        stop,
        interval_s=settings.render_poll_s,
        what="rendering",
        batch_size=settings.render_batch_size,
        guard=repo.crash_guard,
    )
