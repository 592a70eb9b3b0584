"""Internal API for orders: the order's one PaymentIntent, created inline when Stripe is quick."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from ticketing_payments.adapters import intents_repository as repo
from ticketing_payments.domain.payment import IntentStatus
from ticketing_payments.entrypoints.deps import PaymentsDep
from ticketing_payments.entrypoints.intents import try_create
from ticketing_runtime.fields import Currency, Id, Line, PathId, PositiveAmount
from ticketing_runtime.identity import Identity, require_service
from ticketing_runtime.problems import Problem

router = APIRouter(tags=["internal"])
OrdersService = Annotated[Identity, Depends(require_service("orders"))]


class IntentIn(BaseModel):
    order_id: Id
    amount: PositiveAmount
    currency: Currency
    customer_email: Annotated[Line, Field(max_length=254)]
    description: Annotated[Line, Field(max_length=500)]


class IntentOut(BaseModel):
    order_id: str
    status: str
    payment_intent_id: str | None
    client_secret: str | None


@router.post("/internal/payment-intents", response_model=IntentOut)
async def create_payment_intent(
    body: IntentIn, _: OrdersService, pay: PaymentsDep, response: Response
) -> IntentOut:
    """The order's intent: 200 when it exists, 202 ``creating`` when Stripe is slow or down
    (retried in the background; the customer gets the link by e-mail)."""
    async with pay.database.unit_of_work() as uow:
        await repo.ensure_intent(uow.session, **body.model_dump())
        await uow.commit()
    async with pay.database.unit_of_work() as uow:
        # locked: a racing request for the same order waits, then finds the intent
        row = await repo.get_intent(uow.session, body.order_id, lock=True)
        assert row is not None
        if row["status"] == IntentStatus.CREATING and row["attempts"] == 0:
            await try_create(pay, uow, row, late=False)
            await uow.commit()
            row = await _read(pay, body.order_id)
    if row["stripe_intent_id"] is None:
        response.status_code = 202
    return IntentOut(
        order_id=row["order_id"],
        status=row["status"],
        payment_intent_id=row["stripe_intent_id"],
        client_secret=row["client_secret"],
    )


@router.get("/internal/payment-intents/{order_id}", response_model=IntentOut)
async def read_payment_intent(order_id: PathId, _: OrdersService, pay: PaymentsDep) -> IntentOut:
    row = await _read(pay, order_id)
    return IntentOut(
        order_id=row["order_id"],
        status=row["status"],
        payment_intent_id=row["stripe_intent_id"],
        client_secret=row["client_secret"],
    )


async def _read(pay: PaymentsDep, order_id: str) -> dict[str, object]:
    async with pay.database.unit_of_work() as uow:
        row = await repo.get_intent(uow.session, order_id)
    if row is None:
        raise Problem(404, "intent-not-found", f"no payment intent for order {order_id!r}")
    return row
