"""A customer erased by orders (``orders.customer.erased``): notifications forgets their address
in the e-mails it recorded for the order. The e-mails already sent are in the customer's mailbox,
not here; an e-mail still owed finds no address at orders and is not sent."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_notifications.adapters import notifications_repository as repo
from ticketing_runtime.database import UnitOfWork


@dataclass(frozen=True)
class ForgetCustomer:
    order_id: str


async def forget_customer(uow: UnitOfWork, command: ForgetCustomer) -> None:
    """In ``uow`` (a redelivery finds nothing more to forget)."""
    await repo.forget_customer(uow.session, command.order_id)
