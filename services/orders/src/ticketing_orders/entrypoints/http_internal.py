"""Internal API: what documents print and notifications write about an order."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from ticketing_contracts import Money
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.errors import OrderNotFound
from ticketing_orders.domain.model import OrderLine, Ticket
from ticketing_orders.domain.order import access_token_for
from ticketing_orders.entrypoints.deps import OrdersDep
from ticketing_orders.entrypoints.schemas import (
    CustomerOut,
    OrderDetailsOut,
    PrintedTicketOut,
)
from ticketing_orders.entrypoints.views import seat_label
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, require_service

router = APIRouter(tags=["internal"])
Reader = Annotated[Identity, Depends(require_service("documents", "notifications"))]


@router.get("/internal/orders/{order_id}", response_model=OrderDetailsOut)
async def order_details(order_id: PathId, _: Reader, orders: OrdersDep) -> OrderDetailsOut:
    async with orders.database.unit_of_work() as uow:
        order = await repo.get(uow.session, order_id)
    if order is None or order.total_amount is None or order.currency is None:
        raise OrderNotFound(f"no order {order_id!r}")
    return OrderDetailsOut(
        order_id=order_id,
        order_number=order.order_number,
        access_token=access_token_for(
            order_id, orders.settings.order_token_secret.get_secret_value()
        ),
        status=order.status,
        performance_id=order.performance_id,
        customer=CustomerOut(name=order.customer_name, email=order.customer_email),
        event_name=order.event_name,
        starts_at=order.starts_at,
        time_zone=order.time_zone,
        venue_name=order.venue_name,
        venue_address=order.venue_address,
        total=Money(amount=order.total_amount, currency=order.currency),
        payment_deadline=order.payment_deadline,
        tickets=[_printed(t, order.lines) for t in order.tickets],
    )


def _printed(ticket: Ticket, lines: list[OrderLine]) -> PrintedTicketOut:
    line = next(x for x in lines if x.tier_id == ticket.tier_id)
    return PrintedTicketOut.model_validate(
        {**vars(ticket), "tier_name": line.tier_name, "seat": seat_label(ticket, lines)}
    )
