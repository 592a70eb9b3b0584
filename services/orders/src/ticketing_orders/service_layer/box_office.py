"""The box office: a clerk's hold ordered and paid at the desk, with no card payment online."""

from __future__ import annotations

from ticketing_orders.service_layer.commands import PlaceOrder, SellAtDesk
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.placement import Placed, place


async def sell_at_desk(orders: Orders, command: SellAtDesk) -> Placed:
    """The same order, tickets, ``order.paid``, PDF and e-mail as online, paid with the desk's
    ``payment_method`` (``complimentary``: given away, total 0), and the clerk named on it."""
    placement = PlaceOrder(
        who=command.clerk,
        idempotency_key=command.idempotency_key,
        hold_id=command.hold_id,
        name=command.name,
        email=command.email,
        request=command.request,
        desk_payment=command.payment_method,
        sold_by=command.clerk.subject,
    )
    return await place(orders, placement)
