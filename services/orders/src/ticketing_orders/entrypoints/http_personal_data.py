"""A customer's personal data for admins: handed over (the right of access) and erased (the
right to erasure); the address travels in the body, never in a URL that reaches logs."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from ticketing_orders.entrypoints.deps import Admin, OrdersDep
from ticketing_orders.entrypoints.http_staff_orders import with_service_records
from ticketing_orders.entrypoints.staff_schemas import (
    CustomerAddressIn,
    CustomerErasureOut,
    CustomerExportOut,
)
from ticketing_orders.service_layer.personal_data import (
    EraseCustomer,
    ExportCustomer,
    erase_customer,
    export_customer,
)

router = APIRouter(prefix="/v1/admin/customers", tags=["personal data"])


@router.post("/export", response_model=CustomerExportOut)
async def export_personal_data(
    body: CustomerAddressIn, admin: Admin, orders: OrdersDep
) -> CustomerExportOut:
    """Every order bought with the address (lines, tickets, payment, refunds), each with what
    the other services keep of it: the payment intent, the PDFs, the e-mails sent. Audited
    (``orders.customer.exported``, by the address's digest)."""
    found = await export_customer(orders, ExportCustomer(admin, str(body.email)))
    records = [await with_service_records(orders, order) for order in found]
    return CustomerExportOut(email=str(body.email), exported_at=datetime.now(UTC), orders=records)


@router.post("/erasure", response_model=CustomerErasureOut)
async def erase_personal_data(
    body: CustomerAddressIn, admin: Admin, orders: OrdersDep
) -> CustomerErasureOut:
    """Erase the customer from every order bought with the address: the name becomes
    ``(erased)``, the address goes, and payments, documents (the PDFs, which print the name),
    notifications and the audit log erase their copies. The orders, tickets and money stay.
    Refused (409 ``customer-still-needed``, naming the orders) while an order is still being
    bought or has valid tickets for a performance not yet a day past its start; asking again
    finds nothing more to erase."""
    erased = await erase_customer(orders, EraseCustomer(admin, str(body.email)))
    numbers = [order.order_number for order in erased]
    detail = (
        f"the customer of {len(numbers)} order(s) was erased; the other services erase their"
        " copies in a moment"
        if numbers
        else "no order on record was bought with this address (or its customer was erased)"
    )
    return CustomerErasureOut(email=str(body.email), erased_orders=numbers, detail=detail)
