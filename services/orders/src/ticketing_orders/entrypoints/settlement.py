"""An order paid: tickets issued and ``order.paid`` announced, in one transaction (invariant 2)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import IssuedTicket, Money, OrderPaidV1
from ticketing_orders.adapters import coupons_repository as coupons
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain import tickets
from ticketing_orders.domain.order import OrderStatus, ticket_number, transition
from ticketing_orders.entrypoints.deps import Orders
from ticketing_orders.entrypoints.views import customer_of
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id

log = logging.getLogger(__name__)
SETTLED = frozenset({OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED})


async def settle_paid(
    orders: Orders, uow: UnitOfWork, order_id: str, payment_intent_id: str
) -> bool:
    """Paid with every ticket, once whatever repeats; ``False`` when the order cannot be paid
    (cancelled: the caller refunds). ``payment_intent_id`` is empty for a free order."""
    order = await repo.get(uow.session, order_id, lock=True)
    if order is None:
        raise LookupError(f"payment for unknown order {order_id}")  # retried, then parked
    status = OrderStatus(order["status"])
    if status in SETTLED:
        return True
    if status is OrderStatus.CANCELLED:
        return False
    transition(status, OrderStatus.PAID)
    issued = _tickets(orders, order, await repo.lines_of(uow.session, order_id))
    await repo.add_tickets(uow.session, issued)
    await coupons.redeem(uow.session, order_id)
    now = datetime.now(UTC)
    await repo.update_order(
        uow.session,
        order_id,
        status=OrderStatus.PAID.value,
        paid_at=now,
        payment_status="succeeded" if payment_intent_id or _paid_at_desk(order) else "not_required",
        payment_intent_id=payment_intent_id or None,
        payment_error=None,
    )
    await uow.publish(
        OrderPaidV1(
            order_id=order_id,
            order_number=order["order_number"],
            hold_id=order["hold_id"],
            performance_id=order["performance_id"],
            customer=customer_of(order),
            total=Money(amount=order["total_amount"], currency=order["currency"]),
            payment_intent_id=payment_intent_id,
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
    return True


def _paid_at_desk(order: dict[str, Any]) -> bool:
    return order["payment_method"] in ("cash", "card_terminal")


def _tickets(
    orders: Orders, order: dict[str, Any], lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One ticket per seat, or per unit of a general-admission line."""
    units = [
        (line["tier_id"], line["unit_price"], seat)
        for line in lines
        for seat in (line["seat_ids"] or [None] * line["quantity"])
    ]
    issued = []
    for index, (tier_id, unit_price, seat_id) in enumerate(units):
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
                "unit_price": unit_price,
                "secret": tickets.sign(orders.ticket_key, claims),
                "version": 1,
            }
        )
    return issued
