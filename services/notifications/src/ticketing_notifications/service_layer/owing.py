"""Owing an e-mail (an event asked for it, or staff resend one): recorded once, sent later by
the sending loop, so a slow or absent SMTP server never holds a consumer or a request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ticketing_notifications.adapters import notifications_repository as repo
from ticketing_notifications.domain.notification import (
    ERASED,
    NO_TICKETS_LEFT,
    Notification,
    Template,
    confirmation_key,
    notification_key,
)
from ticketing_notifications.service_layer.exceptions import NothingToResend, NotificationNotFound
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id


@dataclass(frozen=True)
class OweEmail:
    event_id: str  # with the template, the de-duplication key: a redelivery owes nothing more
    template: Template
    order_id: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfirmTickets:
    """An order's tickets were rendered (any version): the customer is told once."""

    order_id: str


@dataclass(frozen=True)
class ResendEmail:
    notification_id: str
    staff: Identity


async def owe_email(uow: UnitOfWork, command: OweEmail) -> None:
    await repo.owe(
        uow.session,
        key=notification_key(command.event_id, command.template),
        template=command.template,
        order_id=command.order_id,
        facts=command.facts,
    )


async def confirm_tickets(uow: UnitOfWork, command: ConfirmTickets) -> None:
    """One confirmation per order, owed by the first render that succeeds: version 1 as a rule,
    or the staff re-render of tickets whose first render was parked. A later render mails
    nobody (staff resend the confirmation itself for that); one key per order, so two renders
    heard at once on two replicas still owe one."""
    if await repo.has_any(uow.session, command.order_id, Template.ORDER_CONFIRMATION):
        return  # also one owed under an event's key, before confirmations were keyed by order
    await repo.owe(
        uow.session,
        key=confirmation_key(command.order_id),
        template=Template.ORDER_CONFIRMATION,
        order_id=command.order_id,
        facts={},
    )


@dataclass(frozen=True)
class ResendParked:
    """Every parked e-mail again (after an SMTP outage, once the cause is fixed)."""

    staff: Identity
    most: int = 1000


#: why an e-mail was not sent that no resend changes (a missing address, once given, does)
SET_ASIDE_FOR_GOOD = (NO_TICKETS_LEFT, ERASED)


async def resend_email(uow: UnitOfWork, command: ResendEmail) -> Notification:
    """That e-mail again, as a new notification (the original stays on record); committed."""
    original = await repo.get(uow.session, command.notification_id)
    if original is None:
        raise NotificationNotFound(f"no notification {command.notification_id!r}")
    if original.last_error in SET_ASIDE_FOR_GOOD:
        raise NothingToResend(f"{original.last_error}: sent again, it would be set aside again")
    new_key = await _owe_again(uow, original)
    again = [n for n in await repo.of_order(uow.session, original.order_id) if n.key == new_key]
    await record_action(
        uow,
        command.staff,
        "notifications.email.resent",
        order_id=original.order_id,
        target=("notification", command.notification_id),
        details={"template": original.template.value, "new": again[0].notification_id},
    )
    await uow.commit()
    return again[0]


async def resend_parked(uow: UnitOfWork, command: ResendParked) -> int:
    """Owe every parked, unanswered e-mail again (the newest ``most``), audited once; how many.
    Committed. Each original stays on record; the report no longer lists it."""
    _, parked = await repo.parked(uow.session, command.most)
    for original in parked:
        await _owe_again(uow, original)
    await record_action(
        uow,
        command.staff,
        "notifications.parked.resent",
        target=("notifications", "parked"),
        details={"count": len(parked), "notification_ids": [n.notification_id for n in parked]},
    )
    await uow.commit()
    return len(parked)


async def _owe_again(uow: UnitOfWork, original: Notification) -> str:
    new_key = f"resend:{new_id('rs')}:{original.key}"
    await repo.owe(
        uow.session,
        key=new_key,
        template=original.template,
        order_id=original.order_id,
        facts=original.facts,
    )
    return new_key
