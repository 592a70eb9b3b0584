"""A customer's details put right by staff (a mistyped e-mail address, a name to print): the
e-mails sent from now on go to the new address (notifications reads it at send time), a
render of the tickets prints the new name, and subscribers hear of it
(``orders.customer.corrected.v1``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.errors import OrderNotFound
from ticketing_orders.domain.model import Order
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity


@dataclass(frozen=True)
class CorrectCustomer:
    staff: Identity
    order_id: str
    name: str | None  # None: unchanged
    email: str | None


async def correct_customer(orders: Orders, command: CorrectCustomer) -> Order:
    """The order with its customer corrected, audited with what it was before."""
    async with orders.database.unit_of_work() as uow:
        order = await repo.get(uow.session, command.order_id, lock=True)
        if order is None or not order.is_priced:
            raise OrderNotFound(f"no order {command.order_id!r}")
        before = {"name": order.customer_name, "email": order.customer_email}
        corrected = order.correct_customer(command.name, command.email, datetime.now(UTC))
        after = {"name": order.customer_name, "email": order.customer_email}
        if corrected is not None:
            await repo.save(uow.session, order)
            await uow.publish(corrected)
            await record_action(
                uow,
                command.staff,
                "orders.customer.corrected",
                order_id=order.order_id,
                target=("order", order.order_id),
                details={"before": before, "after": after},
            )
        await uow.commit()
    return order
