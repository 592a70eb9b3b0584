"""Links to a customer's orders by e-mail ("find my tickets"): the same answer for every
address, so nobody learns from it whether an address bought anything."""

from __future__ import annotations

from fastapi import APIRouter

from ticketing_orders.entrypoints.deps import OrdersDep
from ticketing_orders.entrypoints.schemas import OrderLinksIn, OrderLinksOut
from ticketing_orders.service_layer.order_links import SendOrderLinks, send_order_links

router = APIRouter(prefix="/v1/order-links", tags=["orders"])


@router.post("", status_code=202, response_model=OrderLinksOut)
async def request_order_links(body: OrderLinksIn, orders: OrdersDep) -> OrderLinksOut:
    """E-mail the address a link to each of its orders (paid or refunded, the newest first):
    for a customer who lost their confirmation. Answered 202 alike whether or not the address
    has orders; at most one such e-mail per address every few minutes (a repeat within that
    time sends nothing more)."""
    await send_order_links(orders, SendOrderLinks(str(body.email)))
    minutes = max(1, round(orders.settings.order_links_interval_s / 60))
    wait = f"{minutes} minute{'' if minutes == 1 else 's'}"
    detail = (
        f"If {body.email} bought tickets here, an e-mail with a link to each order is on its way."
        f" Not there in a few minutes? Look in spam, or ask again after {wait}."
    )
    return OrderLinksOut(email=str(body.email), detail=detail)
