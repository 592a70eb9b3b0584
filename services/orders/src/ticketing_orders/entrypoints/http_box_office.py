"""The box office: a clerk's hold ordered and paid at the desk, with no card payment online."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.http_orders import placement_of
from ticketing_orders.entrypoints.schemas import OrderOut
from ticketing_orders.entrypoints.staff_schemas import BoxOfficeSaleIn
from ticketing_orders.entrypoints.views import placed_order
from ticketing_orders.service_layer import box_office
from ticketing_runtime.fields import IdempotencyKey

router = APIRouter(prefix="/v1/orders", tags=["box office"])


@router.post(
    "/box-office", status_code=201, response_model=OrderOut, response_model_exclude_none=True
)
async def sell_at_desk(
    body: BoxOfficeSaleIn,
    clerk: Staff,
    orders: OrdersDep,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> OrderOut:
    """Order the clerk's hold (``POST /v1/holds`` with the staff token) and mark it paid with
    the desk's ``payment_method``: the same tickets, ``order.paid``, PDF (``tickets.pdf``, to
    print) and e-mail (when the customer gave an address) as an online order, and no Stripe
    payment. ``complimentary`` gives the seats away (total 0). A repeated ``Idempotency-Key``
    answers the same order (200)."""
    command = placement_of(clerk, idempotency_key, body, desk_payment=body.payment_method)
    placed = await box_office.sell_at_desk(orders, command)
    if not placed.created:
        response.status_code = 200
    return placed_order(placed.document, placed.access_token)
