"""An order as the API shows it, from its rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts import Customer, Money
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.entrypoints.schemas import (
    CustomerOut,
    OrderLineOut,
    OrderOut,
    PaymentOut,
    RefundOut,
    TicketOut,
)


def customer_of(order: dict[str, Any]) -> Customer:
    """The customer as events carry them (an empty e-mail: a desk sale without an address)."""
    return Customer(name=order["customer_name"], email=order["customer_email"] or "")


def refund_out(row: dict[str, Any]) -> RefundOut:
    return RefundOut(
        refund_id=row["refund_id"],
        amount=Money(amount=row["amount"], currency=row["currency"]),
        ticket_ids=list(row["ticket_ids"]),
        status=row["status"],
        automatic=row["automatic"],
        reason=row["reason"],
        error=row["error"],
        created_at=row["created_at"],
    )


async def order_view(session: AsyncSession, order: dict[str, Any]) -> OrderOut:
    lines = await repo.lines_of(session, order["order_id"])
    tickets = await repo.tickets_of(session, order["order_id"])
    currency = order["currency"]

    def money(amount: int | None) -> Money | None:
        return Money(amount=amount, currency=currency) if currency and amount is not None else None

    return OrderOut(
        order_id=order["order_id"],
        order_number=order["order_number"],
        status=order["status"],
        hold_id=order["hold_id"],
        performance_id=order["performance_id"],
        event_name=order["event_name"],
        customer=CustomerOut(name=order["customer_name"], email=order["customer_email"]),
        lines=[
            OrderLineOut(
                tier_id=line["tier_id"],
                tier_name=line["tier_name"],
                quantity=line["quantity"],
                unit_price=Money(amount=line["unit_price"], currency=currency),
                seat_ids=list(line["seat_ids"]),
            )
            for line in lines
        ],
        subtotal=money(order["gross_amount"]),
        discount=money(order["discount_amount"]) if order["coupon_code"] else None,
        coupon=order["coupon_code"],
        total=money(order["total_amount"]),
        payment_deadline=order["payment_deadline"],
        payment=PaymentOut(
            status=order["payment_status"],
            payment_intent_id=order["payment_intent_id"],
            client_secret=order["client_secret"],
            last_error=order["payment_error"],
        ),
        tickets=[
            TicketOut(
                ticket_id=t["ticket_id"],
                ticket_number=t["ticket_number"],
                tier_id=t["tier_id"],
                seat_id=t["seat_id"],
                status=t["status"],
                secret=t["secret"],
                used_at=t["used_at"],
            )
            for t in tickets
        ],
        refunds=[refund_out(r) for r in await refunds.of_order(session, order["order_id"])],
        created_at=order["created_at"],
        paid_at=order["paid_at"],
        payment_method=order["payment_method"],
    )
