"""Sending what we owe: the order's facts fetched at send time, retried with growing delay while
SMTP is down, parked after the limit; every send recorded and announced."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import httpx

from ticketing_contracts import NotificationFailedV1, NotificationSentV1
from ticketing_notifications.adapters import notifications_repository as repo
from ticketing_notifications.adapters.mail_composer import compose, message_id_for, to_email_message
from ticketing_notifications.adapters.smtp_sender import MailDeliveryFailed
from ticketing_notifications.domain.links import checkout_url, order_url
from ticketing_notifications.domain.notification import Template
from ticketing_notifications.entrypoints.confirmation import confirmation_facts
from ticketing_notifications.entrypoints.deps import Notifications
from ticketing_runtime.backoff import retry_at, should_park
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable
from ticketing_runtime.periodic import run_periodically
from ticketing_runtime.time_zones import zone_or_utc

log = logging.getLogger(__name__)
PLACEHOLDER = "your event"


# a box-office sale to someone who gave no e-mail address: parked at once, visible to staff
NO_ADDRESS = "the customer gave no e-mail address (a box-office sale)"


class NotReady(Exception):
    """Something the e-mail needs is not available yet (a service down): retryable."""


async def send_due(notes: Notifications) -> int:
    sent = 0
    while True:
        async with notes.database.unit_of_work() as uow:
            due = await repo.due(uow.session, limit=1)
            if not due:
                return sent
            sent += await send_one(notes, uow, due[0])
            await uow.commit()


async def send_one(notes: Notifications, uow: UnitOfWork, row: dict[str, Any]) -> bool:
    settings = notes.settings
    try:
        context = await _context(notes, row)
        if not context["customer_email"]:
            await _postpone(notes, uow, row, NO_ADDRESS, retryable=False)
            return False
        try:
            mail = compose(
                Template(row["template"]),
                context,
                max_attachment_bytes=settings.max_attachment_bytes,
            )
        except Exception as exc:  # the data cannot make an e-mail: parked for staff, not lost
            log.exception("composing e-mail %s failed", row["notification_id"])
            await _postpone(notes, uow, row, f"{type(exc).__name__}: {exc}", retryable=False)
            return False
        message = to_email_message(
            mail,
            settings.mail_from,
            settings.message_id_domain,
            message_id=message_id_for(row["key"], settings.message_id_domain),
        )
        message_id = await notes.smtp.send(message)
    except (MailDeliveryFailed, NotReady) as exc:
        retryable = isinstance(exc, NotReady) or exc.retryable
        await _postpone(notes, uow, row, str(exc), retryable)
        return False
    await repo.mark_sent(uow.session, row["notification_id"], mail.to, message_id)
    await uow.publish(
        NotificationSentV1(
            notification_id=row["notification_id"],
            template=row["template"],
            recipient=mail.to,
            order_id=row["order_id"],
            smtp_message_id=message_id,
        )
    )
    return True


async def _postpone(
    notes: Notifications, uow: UnitOfWork, row: dict[str, Any], error: str, retryable: bool
) -> None:
    settings, attempts = notes.settings, row["attempts"] + 1
    park = not retryable or should_park(attempts, settings.mail_max_attempts)
    until = retry_at(attempts, settings.mail_retry_base_s, settings.mail_retry_cap_s)
    log.warning("e-mail %s failed (attempt %d): %s", row["notification_id"], attempts, error)
    await repo.postpone(uow.session, row["notification_id"], error, until, park)
    if park:
        await uow.publish(
            NotificationFailedV1(
                notification_id=row["notification_id"],
                template=row["template"],
                recipient=row["recipient"] or "",
                order_id=row["order_id"],
                error=error,
                attempts=attempts,
            )
        )


async def _context(notes: Notifications, row: dict[str, Any]) -> dict[str, Any]:
    order = (await _get(notes.orders, f"/internal/orders/{row['order_id']}")).json()
    # odd catalogue data never keeps a customer's e-mail: an unknown zone reads in UTC (said
    # with the time), a missing start as "to be announced" (see the ``when`` filter)
    zone = zone_or_utc(order.get("time_zone"), what=f"e-mail {row['notification_id']}")

    def local(moment: str | None) -> datetime | None:
        try:
            return datetime.fromisoformat(moment).astimezone(zone) if moment else None
        except ValueError:
            log.warning("e-mail %s: unusable time %r", row["notification_id"], moment)
            return None

    facts = dict(row["facts"])
    base, token = notes.settings.public_base_url, order["access_token"]
    order_page = order_url(base, row["order_id"], token)
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
        "payment_url": checkout_url(base, row["order_id"], token),
    }
    if row["template"] == Template.ORDER_CONFIRMATION:
        pdf = await _get(notes.documents, f"/internal/orders/{row['order_id']}/tickets.pdf")
        context["tickets_pdf"] = pdf.content
        context["tickets_url"] = order_page
        context.update(await confirmation_facts(notes.inventory, order, local, order_page))
    return context


async def _get(client: ServiceClient, path: str) -> httpx.Response:
    try:
        answer = await client.request("GET", path)
    except ServiceUnavailable as exc:
        raise NotReady(f"GET {path}: {exc}") from exc
    if answer.status_code != 200:
        raise NotReady(f"GET {path}: {answer.status_code}")
    return answer


async def sending_loop(notes: Notifications, stop: asyncio.Event) -> None:
    await run_periodically(lambda: send_due(notes), stop, notes.settings.send_poll_s, "sending")
