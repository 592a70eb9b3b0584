"""A customer erased by orders (``orders.customer.erased``): payments forgets their address on
the order's intent and in the Stripe events about it. Stripe keeps its own records of the
payment (erased there through Stripe's own privacy tools)."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_payments.adapters import intents_repository as repo
from ticketing_runtime.database import UnitOfWork


@dataclass(frozen=True)
class ForgetCustomer:
    order_id: str


async def forget_customer(uow: UnitOfWork, command: ForgetCustomer) -> None:
    """In ``uow`` (a redelivery finds nothing more to forget)."""
    await repo.forget_customer(uow.session, command.order_id)
