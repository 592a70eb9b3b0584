"""Refunds, for staff: full, by ticket, or by amount."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters import refunds_repository as refunds
from ticketing_orders.domain.refunds import RefundRefused
from ticketing_orders.entrypoints.deps import OrdersDep, Staff
from ticketing_orders.entrypoints.refunding import refund_order
from ticketing_orders.entrypoints.schemas import RefundIn, RefundOut
from ticketing_orders.entrypoints.views import refund_out
from ticketing_runtime.audit import record_action
from ticketing_runtime.fields import PathId
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/orders/{order_id}/refunds", tags=["refunds"])


@router.post("", status_code=201, response_model=RefundOut)
async def create_refund(
    order_id: PathId,
    body: RefundIn,
    staff: Staff,
    orders: OrdersDep,
    response: Response,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=8, max_length=255)
    ] = None,
) -> RefundOut:
    """Void the tickets at once (the door refuses them) and return the money through Stripe;
    the refund's ``status`` follows Stripe's answer (``failed`` with the ``error`` if refused).
    With an ``Idempotency-Key`` a repeated request answers the first refund (200)."""
    async with orders.database.unit_of_work() as uow:
        try:
            row, created = await refund_order(
                uow,
                order_id,
                ticket_ids=body.ticket_ids,
                amount=body.amount,
                reason=body.reason,
                requested_by=staff.subject,
                idempotency_key=idempotency_key,
            )
        except LookupError as exc:
            raise Problem(404, "order-not-found", f"no order {order_id!r}") from exc
        except RefundRefused as exc:
            raise Problem(exc.status, exc.code, exc.detail) from exc
        if created:
            await record_action(
                uow,
                staff,
                "orders.refund.created",
                order_id=order_id,
                target=("refund", row["refund_id"]),
                details={
                    "amount": {"amount": row["amount"], "currency": row["currency"]},
                    "ticket_ids": list(row["ticket_ids"]),
                    "reason": row["reason"],
                },
            )
        await uow.commit()
    if not created:
        response.status_code = 200
    return refund_out(row)


@router.get("", response_model=list[RefundOut])
async def list_refunds(order_id: PathId, _: Staff, orders: OrdersDep) -> list[RefundOut]:
    async with orders.database.unit_of_work() as uow:
        if await repo.get(uow.session, order_id) is None:
            raise Problem(404, "order-not-found", f"no order {order_id!r}")
        return [refund_out(r) for r in await refunds.of_order(uow.session, order_id)]
