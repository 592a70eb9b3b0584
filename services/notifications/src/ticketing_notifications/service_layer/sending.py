"""Sending what we owe: the order's facts fetched at send time, retried with growing delay while
SMTP is down, parked after the limit; every send recorded and announced."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

import httpx

from ticketing_notifications.adapters import notifications_repository as repo
from ticketing_notifications.adapters.mail_composer import compose, message_id_for, to_email_message
from ticketing_notifications.adapters.smtp_sender import MailDeliveryFailed
from ticketing_notifications.domain.links import checkout_url, order_url
from ticketing_notifications.domain.notification import (
    NO_ADDRESS,
    NO_TICKETS_LEFT,
    Notification,
    Template,
)
from ticketing_notifications.service_layer.confirmation import confirmation_facts
from ticketing_notifications.service_layer.container import Notifications
from ticketing_runtime.backoff import Backoff, Retry
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.due_work import run_due_work, work_off_due
from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable
from ticketing_runtime.time_zones import zone_or_utc

log = logging.getLogger(__name__)
PLACEHOLDER = "your event"


# a box-office sale to someone who gave no e-mail address: parked at once, visible to staff


class NotReady(Exception):
    """Something the e-mail needs is not available yet (a service down): retryable."""


class NothingToConfirm(Exception):
    """Every ticket of the order was refunded before its confirmation went out."""


async def send_due(notes: Notifications) -> int:
    """Send every due e-mail, one per transaction; returns how many were sent."""
    act = partial(send_each, notes)
    return await work_off_due(notes.database, repo.due, act, guard=CRASH_GUARD)


async def send_each(notes: Notifications, uow: UnitOfWork, due: Sequence[Notification]) -> int:
    return sum([await send_one(notes, uow, note) for note in due])


async def send_one(notes: Notifications, uow: UnitOfWork, note: Notification) -> bool:
    """One attempt for ``note`` (locked by ``uow``); the outcome is recorded in ``uow``."""
    settings = notes.settings
    try:
        context = await _context(notes, note)
        if not context["customer_email"]:
            await _postpone(notes, uow, note, NO_ADDRESS, retryable=False)
            return False
        try:
            mail = compose(
                note.template, context, max_attachment_bytes=settings.max_attachment_bytes
            )
            message = to_email_message(
                mail,
                settings.mail_from,
                settings.message_id_domain,
                message_id=message_id_for(note.key, settings.message_id_domain),
            )
        except Exception as exc:  # the data cannot make an e-mail: parked for staff, not lost
            log.exception("composing e-mail %s failed", note.notification_id)
            await _postpone(notes, uow, note, f"{type(exc).__name__}: {exc}", retryable=False)
            return False
        message_id = await notes.smtp.send(message)
    except NothingToConfirm:
        await _postpone(notes, uow, note, NO_TICKETS_LEFT, retryable=False)
        return False
    except (MailDeliveryFailed, NotReady) as exc:
        retryable = isinstance(exc, NotReady) or exc.retryable
        await _postpone(notes, uow, note, str(exc), retryable)
        return False
    except Exception as exc:
        # anything else (odd data from a neighbour, a bug) is retried, then parked: raised, it
        # would roll the attempt back and leave this e-mail first in line, every other behind it
        log.exception("e-mail %s failed unexpectedly", note.notification_id)
        await _postpone(notes, uow, note, f"{type(exc).__name__}: {exc}", retryable=True)
        return False
    sent = note.mark_sent(mail.to, message_id)
    await repo.save_sent(uow.session, note)
    await uow.publish_all(sent)
    return True


async def _postpone(
    notes: Notifications, uow: UnitOfWork, note: Notification, error: str, retryable: bool
) -> None:
    settings = notes.settings
    backoff = Backoff(
        settings.mail_retry_base_s, settings.mail_retry_cap_s, settings.mail_max_attempts
    )
    retry = backoff.after_failure(note.attempts, retryable=retryable)
    log.warning("e-mail %s failed (attempt %d): %s", note.notification_id, retry.attempts, error)
    failed = note.postpone(error, retry)
    await repo.save_postponed(uow.session, note, retry)
    await uow.publish_all(failed)


async def _park_unfinished(
    uow: UnitOfWork, note: Notification, error: str, unfinished: int
) -> None:
    """The crash guard's parking: announced as failed, as every parked e-mail is."""
    retry = Retry(attempts=note.attempts + unfinished, next_attempt_at=datetime.now(UTC), park=True)
    failed = note.postpone(error, retry)
    await repo.save_parked(uow.session, note)
    await uow.publish_all(failed)


CRASH_GUARD = replace(repo.crash_guard, park=_park_unfinished)


def _local_times(order: dict[str, Any], what: str) -> Callable[[str | None], datetime | None]:
    """The order's moments in its venue's zone. Odd catalogue data never keeps a customer's
    e-mail: an unknown zone reads in UTC (said with the time), an unusable or missing moment as
    "to be announced" (see the ``when`` filter)."""
    zone = zone_or_utc(order.get("time_zone"), what=what)

    def local(moment: str | None) -> datetime | None:
        try:
            return datetime.fromisoformat(moment).astimezone(zone) if moment else None
        except ValueError:
            log.warning("%s: unusable time %r", what, moment)
            return None

    return local


async def _context(notes: Notifications, note: Notification) -> dict[str, Any]:
    order = await _order(notes, note.order_id)
    local = _local_times(order, f"e-mail {note.notification_id}")
    facts = dict(note.facts)
    base, token = notes.settings.public_base_url, order["access_token"]
    order_page = order_url(base, note.order_id, token)
    numbers = {t["ticket_id"]: t["ticket_number"] for t in order["tickets"]}
    context: dict[str, Any] = {
        "customer_name": order["customer"]["name"],
        "customer_email": order["customer"]["email"],
        "order_number": order["order_number"],
        "event_name": order["event_name"] or PLACEHOLDER,
        "starts_at": local(order["starts_at"]),
        "payment_deadline": local(order["payment_deadline"]),
        "tickets_count": sum(t["status"] in ("valid", "used") for t in order["tickets"]),
        "voided_tickets": [numbers.get(t, t) for t in facts.pop("voided_ticket_ids", [])],
        **facts,
        # ours, not the event's: only this one carries the order's access token
        "payment_url": checkout_url(base, note.order_id, token),
    }
    if note.template == Template.ORDER_CONFIRMATION:
        if not context["tickets_count"]:  # their PDF is gone: a retry would only park it later
            raise NothingToConfirm
        pdf = await _get(notes.documents, f"/internal/orders/{note.order_id}/tickets.pdf")
        context["tickets_pdf"] = pdf.content
        context["tickets_url"] = order_page
        context.update(await confirmation_facts(notes.inventory, order, local, order_page, base))
    if note.template == Template.ORDER_LINKS:
        context["orders"] = [
            _linked(base, order if order_id == note.order_id else await _order(notes, order_id))
            for order_id in facts["order_ids"]
        ]
    return context


async def _order(notes: Notifications, order_id: str) -> dict[str, Any]:
    order: dict[str, Any] = (await _get(notes.orders, f"/internal/orders/{order_id}")).json()
    return order


STATE_WORDS = {"paid": "paid", "partially_refunded": "partly refunded", "refunded": "refunded"}


def _linked(base: str, order: dict[str, Any]) -> dict[str, Any]:
    """One order of the "find my tickets" e-mail: what it is for, and its link."""
    local = _local_times(order, f"order {order['order_id']}")
    return {
        "order_number": order["order_number"],
        "event_name": order["event_name"] or PLACEHOLDER,
        "starts_at": local(order["starts_at"]),
        "state": STATE_WORDS.get(order["status"], order["status"].replace("_", " ")),
        "url": order_url(base, order["order_id"], order["access_token"]),
    }


async def _get(client: ServiceClient, path: str) -> httpx.Response:
    try:
        answer = await client.request("GET", path)
    except ServiceUnavailable as exc:
        raise NotReady(f"GET {path}: {exc}") from exc
    if answer.status_code != 200:
        raise NotReady(f"GET {path}: {answer.status_code}")
    return answer


async def sending_loop(notes: Notifications, stop: asyncio.Event) -> None:
    """Due e-mails, each sent in its own transaction (another replica skips the one it holds)."""
    act, interval = partial(send_each, notes), notes.settings.send_poll_s
    await run_due_work(
        notes.database,
        repo.due,
        act,
        stop,
        interval_s=interval,
        what="sending",
        guard=CRASH_GUARD,
    )
