"""A customer's personal data: what orders holds of it, handed over on request (GDPR art. 15),
and erased on request (art. 17) or once the retention period after the performance ran out.

Erasure keeps the order, its tickets and its money (the accounts need them) without the person:
the name becomes ``(erased)``, the address goes, and ``orders.customer.erased`` tells every
service that keeps a copy (payments, documents, notifications, the audit log) to erase its own.
An order still being bought, or with valid tickets for a performance still to come, keeps its
customer: erasing them would leave the door and the desk without a name and the customer
without their e-mails, so staff refund or cancel it first, or erase after the performance.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ticketing_orders.adapters import coupons_repository, link_requests_repository
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.errors import CustomerStillNeeded
from ticketing_orders.domain.model import Order
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.order_links import address_digest, normalised_address
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.periodic import run_periodically

log = logging.getLogger(__name__)
#: the most orders one address is answered for (export) or erased in (one transaction)
MOST_ORDERS = 1000
RETENTION = Identity(kind="service", subject="orders:retention")


@dataclass(frozen=True)
class ExportCustomer:
    staff: Identity
    email: str


@dataclass(frozen=True)
class EraseCustomer:
    staff: Identity
    email: str


async def export_customer(orders: Orders, command: ExportCustomer) -> list[Order]:
    """Every order bought with the address (any status), newest first; audited, by the
    address's digest (the audit log does not collect what it reports on)."""
    address = normalised_address(command.email)
    async with orders.database.unit_of_work() as uow:
        found = await _orders_of(uow, address, lock=False)
        await _audit(uow, command.staff, "orders.customer.exported", address, found)
        await uow.commit()
    return found


async def erase_customer(orders: Orders, command: EraseCustomer) -> list[Order]:
    """The orders bought with the address, their customer erased (none: nothing was on record
    or it was erased before); all or nothing: ``CustomerStillNeeded`` names every order that
    keeps its customer for now."""
    address = normalised_address(command.email)
    async with orders.database.unit_of_work() as uow:
        found = await _orders_of(uow, address, lock=True)
        now = await repo.database_now(uow.session)
        refusals = [why for order in found if (why := order.erasure_refusal(now))]
        if refusals:
            raise CustomerStillNeeded(
                "; ".join(refusals) + ": refund or cancel them first, or erase after the"
                " performance"
            )
        await _erase(uow, found, now)
        await link_requests_repository.forget(uow.session, address_digest(address))
        await _audit(uow, command.staff, "orders.customer.erased", address, found)
        await uow.commit()
    return found


async def erase_after_retention(orders: Orders, now: datetime, batch: int = 100) -> int:
    """Erase the customers of (up to ``batch``) orders whose performance began more than the
    retention period ago; how many. Each batch is one transaction, audited as one action."""
    days = orders.settings.personal_data_retention_days
    async with orders.database.unit_of_work() as uow:
        due = await repo.keeping_personal_data(uow.session, now - timedelta(days=days), batch)
        found = [o for i in due if (o := await repo.get(uow.session, i, lock=True)) is not None]
        erasable = [o for o in found if o.erasure_refusal(now) is None]
        if not erasable:
            return 0
        await _erase(uow, erasable, now)
        details = {"retention_days": days, "orders": _numbers(erasable)}
        await record_action(uow, RETENTION, "orders.customer.erased", details=details)
        await uow.commit()
    log.info("erased the customers of %d orders past %d days of retention", len(erasable), days)
    return len(erasable)


async def retention_loop(orders: Orders, stop: asyncio.Event, batch: int = 100) -> None:
    """Every ``personal_data_retention_interval_s``: erase batch after batch until none is due."""

    async def step() -> int:
        erased = total = batch
        while erased == batch and not stop.is_set():
            erased = await erase_after_retention(orders, datetime.now(UTC), batch)
            total += erased
        return total - batch

    interval = orders.settings.personal_data_retention_interval_s
    await run_periodically(step, stop, interval, "personal data retention")


async def _orders_of(uow: UnitOfWork, address: str, *, lock: bool) -> list[Order]:
    ids = await repo.ids_of_address(uow.session, address, list(OrderStatus), MOST_ORDERS)
    found = [await repo.get(uow.session, order_id, lock=lock) for order_id in ids]
    return [order for order in found if order is not None]


async def _erase(uow: UnitOfWork, found: list[Order], now: datetime) -> None:
    for order in found:
        erased = order.erase_customer(now)
        if erased is not None:
            await repo.save(uow.session, order)
            await uow.publish(erased)
    await coupons_repository.forget_addresses(uow.session, [o.order_id for o in found])


async def _audit(
    uow: UnitOfWork, staff: Identity, action: str, address: str, found: list[Order]
) -> None:
    details = {"address_digest": address_digest(address), "orders": _numbers(found)}
    await record_action(uow, staff, action, details=details)


def _numbers(found: list[Order]) -> list[str]:
    return [order.order_number for order in found]
