"""An order as the API shows it, from the aggregate (and its refunds)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts import Money
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.model import Order, OrderLine, PaymentStatus, Ticket
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import Refund
from ticketing_orders.entrypoints.schemas import (
    CustomerOut,
    OrderLineOut,
    OrderOut,
    PaymentOut,
    RefundOut,
    TicketOut,
)


def refund_out(refund: Refund) -> RefundOut:
    return RefundOut(
        refund_id=refund.refund_id,
        amount=Money(amount=refund.amount, currency=refund.currency),
        ticket_ids=list(refund.ticket_ids),
        status=refund.status,
        automatic=refund.automatic,
        cause=refund.cause.value,
        reason=refund.reason,
        error=refund.error,
        created_at=refund.created_at,
    )


def seat_label(ticket: Ticket, lines: Sequence[OrderLine]) -> dict[str, Any] | None:
    """The ticket's seat as its order line printed it (section, row, number), or ``None``."""
    line = next((x for x in lines if x.tier_id == ticket.tier_id), None)
    seats = line.seats if line else []
    return next((s for s in seats if s["seat_id"] == ticket.seat_id), None)


def ticket_out(ticket: Ticket, lines: Sequence[OrderLine] = ()) -> TicketOut:
    """The ticket as the API gives it; ``lines``: its order's, which name its seat."""
    return TicketOut.model_validate({**vars(ticket), "seat": seat_label(ticket, lines)})


#: what an order that died unpaid (expired, cancelled) says of its payment: its intent was
#: cancelled, nothing is left to pay
NOTHING_TO_PAY = "cancelled"


def payment_out(order: Order, *, for_staff: bool = False) -> PaymentOut:
    """The payment as the buyer may act on it: the client secret only while the order is
    payable (an expired order's still said "open" and handed out the secret to pay it), and
    only to the buyer (no clerk pays with it)."""
    payable = order.status is OrderStatus.PENDING_PAYMENT
    unpaid = order.payment_status in (
        PaymentStatus.CREATING,
        PaymentStatus.OPEN,
        PaymentStatus.FAILED,
    )
    return PaymentOut(
        status=NOTHING_TO_PAY if unpaid and not payable else order.payment_status,
        payment_intent_id=order.payment_intent_id,
        client_secret=order.client_secret if payable and not for_staff else None,
        last_error=order.payment_error,
    )


async def order_view(session: AsyncSession, order: Order, *, for_staff: bool = False) -> OrderOut:
    currency = order.currency

    def money(amount: int | None) -> Money | None:
        return Money(amount=amount, currency=currency) if currency and amount is not None else None

    return OrderOut(
        order_id=order.order_id,
        order_number=order.order_number,
        status=order.status,
        hold_id=order.hold_id,
        performance_id=order.performance_id,
        event_name=order.event_name,
        customer=CustomerOut(name=order.customer_name, email=order.customer_email),
        lines=[
            OrderLineOut(
                tier_id=line.tier_id,
                tier_name=line.tier_name,
                quantity=line.quantity,
                unit_price=Money(amount=line.unit_price, currency=currency or ""),
                seat_ids=list(line.seat_ids),
            )
            for line in order.lines
        ],
        subtotal=money(order.gross_amount),
        discount=money(order.discount_amount) if order.coupon_code else None,
        coupon=order.coupon_code,
        total=money(order.total_amount),
        payment_deadline=order.payment_deadline,
        payment=payment_out(order, for_staff=for_staff),
        tickets=[ticket_out(t, order.lines) for t in order.tickets],
        refunds=[refund_out(r) for r in await refunds.of_order(session, order.order_id)],
        created_at=order.created_at,
        paid_at=order.paid_at,
        payment_method=order.payment_method,
    )


async def order_document(session: AsyncSession, order: Order) -> dict[str, Any]:
    """The order as its placement answers (JSON), for the Idempotency-Key's replays."""
    return (await order_view(session, order)).model_dump(mode="json")


def placed_order(document: dict[str, Any], access_token: str) -> OrderOut:
    return OrderOut.model_validate(document).model_copy(update={"access_token": access_token})
