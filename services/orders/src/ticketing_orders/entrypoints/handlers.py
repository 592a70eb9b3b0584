"""Events orders consumes: payments' outcomes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import (
    Customer,
    IssuedTicket,
    Money,
    OrderPaidV1,
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentSucceededV1,
)
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain import tickets
from ticketing_orders.domain.order import OrderStatus, ticket_number, transition
from ticketing_orders.entrypoints.deps import Orders
from ticketing_runtime.consumer import Delivery, EventConsumer
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id

log = logging.getLogger(__name__)
_SETTLED = {OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED}


def register(consumer: EventConsumer, orders: Orders) -> None:
    @consumer.handles(PaymentSucceededV1)
    async def on_payment_succeeded(delivery: Delivery[PaymentSucceededV1]) -> None:
        await mark_paid(orders, delivery.uow, delivery.event)

    @consumer.handles(PaymentFailedV1)
    async def on_payment_failed(delivery: Delivery[PaymentFailedV1]) -> None:
        failed = delivery.event
        await repo.update_order(
            delivery.uow.session,
            failed.order_id,
            payment_status="failed",
            payment_error=failed.reason,
        )

    @consumer.handles(PaymentIntentCreatedV1)
    async def on_intent_created(delivery: Delivery[PaymentIntentCreatedV1]) -> None:
        created = delivery.event
        order = await repo.get(delivery.uow.session, created.order_id, lock=True)
        if order is not None and order["payment_intent_id"] is None:
            await repo.update_order(
                delivery.uow.session,
                created.order_id,
                payment_intent_id=created.payment_intent_id,
                payment_status="open",
            )


async def mark_paid(orders: Orders, uow: UnitOfWork, paid: PaymentSucceededV1) -> None:
    """Paid and every ticket issued in one transaction (invariant 2); once, whatever repeats."""
    order = await repo.get(uow.session, paid.order_id, lock=True)
    if order is None:
        raise LookupError(f"payment for unknown order {paid.order_id}")  # retried, then parked
    status = OrderStatus(order["status"])
    if status in _SETTLED:
        return
    if status is OrderStatus.CANCELLED:
        log.error("order %s was cancelled but paid: needs a refund", paid.order_id)
        return
    transition(status, OrderStatus.PAID)
    issued = _tickets(orders, order, await repo.lines_of(uow.session, paid.order_id))
    await repo.add_tickets(uow.session, issued)
    now = datetime.now(UTC)
    await repo.update_order(
        uow.session,
        paid.order_id,
        status=OrderStatus.PAID.value,
        paid_at=now,
        payment_status="succeeded",
        payment_intent_id=paid.payment_intent_id,
        payment_error=None,
    )
    await uow.publish(
        OrderPaidV1(
            order_id=paid.order_id,
            order_number=order["order_number"],
            hold_id=order["hold_id"],
            performance_id=order["performance_id"],
            customer=Customer(name=order["customer_name"], email=order["customer_email"]),
            total=Money(amount=order["total_amount"], currency=order["currency"]),
            payment_intent_id=paid.payment_intent_id,
            tickets=[
                IssuedTicket(
                    ticket_id=t["ticket_id"],
                    ticket_number=t["ticket_number"],
                    tier_id=t["tier_id"],
                    seat_id=t["seat_id"],
                )
                for t in issued
            ],
            paid_at=now,
        )
    )


def _tickets(
    orders: Orders, order: dict[str, Any], lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One ticket per seat, or per unit of a general-admission line."""
    units = [
        (line["tier_id"], seat)
        for line in lines
        for seat in (line["seat_ids"] or [None] * line["quantity"])
    ]
    issued = []
    for index, (tier_id, seat_id) in enumerate(units):
        ticket_id = new_id("tkt")
        claims = tickets.TicketClaims(ticket_id, order["performance_id"], seat_id, 1)
        issued.append(
            {
                "ticket_id": ticket_id,
                "ticket_number": ticket_number(order["order_number"], index),
                "order_id": order["order_id"],
                "performance_id": order["performance_id"],
                "tier_id": tier_id,
                "seat_id": seat_id,
                "secret": tickets.sign(orders.ticket_key, claims),
                "version": 1,
            }
        )
    return issued
