"""Orders over HTTP: place one (idempotently), read one with its access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response

from ticketing_orders.domain.model import LIVE_TICKETS
from ticketing_orders.entrypoints.deps import OrdersDep
from ticketing_orders.entrypoints.schemas import OrderIn, OrderOut, TicketsDocumentOut
from ticketing_orders.entrypoints.staff_schemas import BoxOfficeSaleIn
from ticketing_orders.entrypoints.views import order_view, placed_order
from ticketing_orders.service_layer.cancellation import cancel_order
from ticketing_orders.service_layer.commands import CancelOrder, PlaceOrder, ReadOrder
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.placement import place
from ticketing_orders.service_layer.reading import readable_order
from ticketing_runtime.fields import IdempotencyKey, PathId
from ticketing_runtime.identity import Identity, current_identity, optional_identity
from ticketing_runtime.internal_http import ServiceUnavailable
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/orders", tags=["orders"])


async def customer(identity: Annotated[Identity, Depends(current_identity)]) -> Identity:
    if identity.kind != "customer":
        raise Problem(403, "forbidden", "orders are placed from customer sessions")
    return identity


@router.post("", status_code=201, response_model=OrderOut, response_model_exclude_none=True)
async def create_order(
    body: OrderIn,
    who: Annotated[Identity, Depends(customer)],
    orders: OrdersDep,
    response: Response,
    idempotency_key: IdempotencyKey,
) -> OrderOut:
    """Place an order from a hold of this session. Send an ``Idempotency-Key``: the same key and
    body answer the same order (200), even when two requests race; another body is refused."""
    placed = await place(orders, placement_of(who, idempotency_key, body, coupon=body.coupon))
    if not placed.created:
        response.status_code = 200
    return placed_order(placed.document, placed.access_token)


def placement_of(
    who: Identity,
    key: str,
    body: OrderIn | BoxOfficeSaleIn,
    *,
    coupon: str | None = None,
    desk_payment: str | None = None,
) -> PlaceOrder:
    """The command a checkout (with its coupon) or a desk sale (paid at the desk) asks for."""
    email = str(body.customer.email) if body.customer.email else None
    request = body.model_dump(mode="json")
    sold_by = who.subject if desk_payment else None
    return PlaceOrder(
        who, key, body.hold_id, body.customer.name, email, request, coupon, desk_payment, sold_by
    )


OptionalCaller = Annotated[Identity | None, Depends(optional_identity)]
TokenHeader = Annotated[str | None, Header(description="the order's access token")]


async def order_token(x_order_token: TokenHeader = None) -> str | None:
    """The order's access token, in the ``X-Order-Token`` header only: a query string reaches
    access logs, browser history and ``Referer`` headers (links carry it in the fragment)."""
    return x_order_token


OrderToken = Annotated[str | None, Depends(order_token)]


@router.get("/{order_id}", response_model=OrderOut, response_model_exclude_none=True)
async def read_order(
    order_id: PathId,
    orders: OrdersDep,
    caller: OptionalCaller,
    access_token: OrderToken,
) -> OrderOut:
    """Needs the order's access token (``X-Order-Token`` header) or a staff token (the staff or
    admin role). A wrong token gets the same 404 as a missing order."""
    async with orders.database.unit_of_work() as uow:
        read = ReadOrder(order_id, caller, access_token)
        staff = caller is not None and caller.handles_orders
        order = await readable_order(uow.session, read)
        view = await order_view(uow.session, order, for_staff=staff)
    if staff:
        view.tickets_document = await _render_status(orders, order_id)
    return view


async def _render_status(orders: Orders, order_id: str) -> TicketsDocumentOut | None:
    """How the order's PDF is doing at documents, for staff (a parked render shows here)."""
    try:
        answer = await orders.documents.request(
            "GET", f"/internal/orders/{order_id}/render-status", timeout_s=2.0
        )
    except ServiceUnavailable:
        return TicketsDocumentOut(status="unknown", last_error="documents did not answer")
    if answer.status_code != 200:
        return None
    return TicketsDocumentOut.model_validate(answer.json())


@router.post("/{order_id}/cancel", response_model=OrderOut, response_model_exclude_none=True)
async def cancel(
    order_id: PathId,
    orders: OrdersDep,
    caller: OptionalCaller,
    x_order_token: TokenHeader = None,
) -> OrderOut:
    """Give up an unpaid order (its token holder or staff): the hold and coupon use are released
    and its payment cancelled. Cancelling again answers the same; a paid order is refunded
    instead (409)."""
    document = await cancel_order(orders, CancelOrder(order_id, caller, x_order_token))
    return OrderOut.model_validate(document)


@router.get("/{order_id}/tickets.pdf", response_class=Response)
async def tickets_pdf(
    order_id: PathId,
    orders: OrdersDep,
    caller: OptionalCaller,
    access_token: OrderToken,
) -> Response:
    """Every ticket of the order in one PDF (token holder or staff); 404 until it is rendered,
    a few seconds after payment."""
    return await _pdf(orders, order_id, caller, access_token, "tickets.pdf", None)


@router.get("/{order_id}/tickets/{ticket_id}.pdf", response_class=Response)
async def ticket_pdf(
    order_id: PathId,
    ticket_id: PathId,
    orders: OrdersDep,
    caller: OptionalCaller,
    access_token: OrderToken,
) -> Response:
    return await _pdf(orders, order_id, caller, access_token, f"tickets/{ticket_id}.pdf", ticket_id)


async def _pdf(
    orders: Orders,
    order_id: str,
    caller: Identity | None,
    token: str | None,
    document: str,
    ticket_id: str | None,
) -> Response:
    """A refunded or voided ticket's PDF is never served (it would still scan as a ticket to
    whoever bought it second-hand), nor an order's once none of its tickets is valid."""
    async with orders.database.unit_of_work() as uow:
        order = await readable_order(uow.session, ReadOrder(order_id, caller, token))
    issued = {t.ticket_id for t in order.tickets}
    if not issued:
        raise Problem(
            404,
            "no-tickets",
            f"the order has no tickets (it is {order.status.value}): they are"
            " issued when it is paid",
        )
    if ticket_id is not None and ticket_id not in issued:
        raise Problem(404, "ticket-not-found", f"order {order_id} has no ticket {ticket_id}")
    live = {t.ticket_id for t in order.tickets if t.status in LIVE_TICKETS}
    if (ticket_id is None and not live) or (ticket_id is not None and ticket_id not in live):
        raise Problem(
            410, "tickets-not-valid", "refunded or voided tickets have no PDF: they admit nobody"
        )
    try:
        answer = await orders.documents.request("GET", f"/internal/orders/{order_id}/{document}")
    except ServiceUnavailable as exc:
        raise Problem(503, "documents-unavailable", "tickets cannot be fetched now; retry") from exc
    if answer.status_code != 200:
        raise Problem.relayed(answer.status_code, answer.json())
    passed = ("content-disposition", "x-document-id", "x-document-version")
    headers = {k: v for k, v in answer.headers.items() if k.lower() in passed}
    return Response(answer.content, media_type="application/pdf", headers=headers)
