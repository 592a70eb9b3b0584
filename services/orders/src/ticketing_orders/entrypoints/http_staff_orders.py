"""Orders for staff: search, and one order with what every service knows of it."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from ticketing_contracts import Money
from ticketing_orders.adapters import order_search
from ticketing_orders.domain.model import Order
from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.schemas import CustomerPatch, OrderOut
from ticketing_orders.entrypoints.staff_schemas import (
    OrderSearchPage,
    OrderSummaryOut,
    ServiceRecords,
    StaffOrderOut,
)
from ticketing_orders.entrypoints.views import order_view
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.customer_details import CorrectCustomer, correct_customer
from ticketing_orders.service_layer.reading import performance_cancelled, staff_order
from ticketing_runtime.fields import Instant, OptionalQueryId, PathId
from ticketing_runtime.internal_http import ServiceClient, ServiceUnavailable
from ticketing_runtime.pagination import MAX_LIMIT
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/orders", tags=["staff orders"])
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
Status = Literal[
    "pending_payment", "paid", "partially_refunded", "refunded", "expired", "cancelled"
]


@router.get("", response_model=OrderSearchPage)
async def search_orders(
    _: Staff,
    orders: OrdersDep,
    order_number: Text = None,
    email: Annotated[str | None, Query(min_length=1, max_length=254)] = None,
    name: Annotated[str | None, Query(min_length=1, max_length=200, description="any part")] = None,
    performance_id: OptionalQueryId = None,
    status: Status | None = None,
    created_from: Instant | None = None,
    created_to: Instant | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    starting_after: Text = None,
) -> OrderSearchPage:
    """Orders matching every filter given, newest first; ``created_from`` is inclusive,
    ``created_to`` exclusive; ``name`` matches any part of the name, any case."""
    if created_from and created_to and created_to <= created_from:
        raise Problem(422, "validation-error", "created_to must be after created_from")
    wanted = order_search.OrderFilter(
        order_number, email, name, performance_id, status, created_from, created_to
    )
    async with orders.database.unit_of_work() as uow:
        rows, has_more = await order_search.search(uow.session, wanted, starting_after, limit)
    return OrderSearchPage(data=[_summary(r) for r in rows], has_more=has_more)


def _summary(row: dict[str, Any]) -> OrderSummaryOut:
    total = row["total_amount"]
    return OrderSummaryOut(
        order_id=row["order_id"],
        order_number=row["order_number"],
        status=row["status"],
        performance_id=row["performance_id"],
        event_name=row["event_name"],
        customer_name=row["customer_name"],
        customer_email=row["customer_email"],
        total=Money(amount=total, currency=row["currency"]) if total is not None else None,
        payment_method=row["payment_method"],
        created_at=row["created_at"],
        paid_at=row["paid_at"],
    )


@router.get("/{order_id}/details", response_model=StaffOrderOut)
async def order_details_for_staff(order_id: PathId, _: Staff, orders: OrdersDep) -> StaffOrderOut:
    """The order (lines, tickets, refunds) with its payment intent, its PDFs and its e-mails,
    each asked of the service that owns it; one that does not answer is marked unavailable."""
    async with orders.database.unit_of_work() as uow:
        order = await staff_order(uow.session, order_id)
    return await with_service_records(orders, order)


async def with_service_records(orders: Orders, order: Order) -> StaffOrderOut:
    """The order as staff read it, with what payments, documents and notifications keep of it."""
    async with orders.database.unit_of_work() as uow:
        view = await order_view(uow.session, order, for_staff=True)
        cancelled = await performance_cancelled(uow.session, order)
    order_id = order.order_id
    payment, documents, emails = await asyncio.gather(
        _ask(orders.payments, f"/internal/payment-intents/{order_id}", _intent),
        _ask(orders.documents, f"/internal/orders/{order_id}/documents", _documents),
        _ask(orders.notifications, f"/internal/orders/{order_id}/notifications", list),
    )
    return StaffOrderOut(
        order=view,
        sold_by=order.sold_by,
        performance_cancelled=cancelled,
        payment=payment,
        documents=documents,
        emails=emails,
    )


@router.patch("/{order_id}/customer", response_model=OrderOut, response_model_exclude_none=True)
async def correct_customer_details(
    order_id: PathId, body: CustomerPatch, staff: Staff, orders: OrdersDep
) -> OrderOut:
    """Put a mistyped name or e-mail address right (audited with what it was). E-mails sent
    from now on go to the new address: resend one that went to the old one; render the PDFs
    again to print a new name."""
    command = CorrectCustomer(staff, order_id, body.name, body.email)
    order = await correct_customer(orders, command)
    async with orders.database.unit_of_work() as uow:
        return await order_view(uow.session, order, for_staff=True)


def _intent(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Payments' record of the intent, without the client secret (the customer's, to pay with:
    no clerk needs it)."""
    return [{k: v for k, v in body.items() if k != "client_secret"}]


def _documents(body: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = body["documents"]
    return found


async def _ask(client: ServiceClient, path: str, records: Any) -> ServiceRecords:
    """What the owner answers; its 404 is "nothing yet" (a desk sale has no intent)."""
    try:
        answer = await client.request("GET", path)
    except ServiceUnavailable as exc:
        return ServiceRecords(available=False, error=str(exc))
    if answer.status_code == 404:
        return ServiceRecords(available=True)
    if answer.status_code != 200:
        return ServiceRecords(available=False, error=f"{path}: {answer.status_code}")
    return ServiceRecords(available=True, records=records(answer.json()))
