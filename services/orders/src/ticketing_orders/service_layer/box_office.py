"""The box office: a clerk's hold ordered and paid at the desk, with no card payment online."""

from __future__ import annotations

from ticketing_orders.service_layer.commands import PlaceOrder
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.placement import Placed, place


async def sell_at_desk(orders: Orders, command: PlaceOrder) -> Placed:
    """The same order, tickets, ``order.paid``, PDF and e-mail as online, paid with the desk's
    ``desk_payment`` (``complimentary``: given away, total 0), and the clerk named on it."""
    if command.desk_payment is None or command.sold_by != command.who.subject:
        raise ValueError("a desk sale names its payment and is sold by the clerk who asks")
    return await place(orders, command)
