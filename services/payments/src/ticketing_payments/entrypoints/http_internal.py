"""Internal API for orders: the order's one PaymentIntent, created inline when Stripe is quick."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from ticketing_payments.domain.aggregates import PaymentIntent
from ticketing_payments.entrypoints.dependencies import PaymentsDep
from ticketing_payments.service_layer.intents import CreateIntent, create_intent, read_intent
from ticketing_runtime.fields import Currency, Id, Line, PathId, PositiveAmount
from ticketing_runtime.identity import Identity, require_service

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
    intent = await create_intent(pay, CreateIntent(**body.model_dump()))
    if intent.stripe_intent_id is None:
        response.status_code = 202
    return _out(intent)


@router.get("/internal/payment-intents/{order_id}", response_model=IntentOut)
async def read_payment_intent(order_id: PathId, _: OrdersService, pay: PaymentsDep) -> IntentOut:
    return _out(await read_intent(pay, order_id))


def _out(intent: PaymentIntent) -> IntentOut:
    return IntentOut(
        order_id=intent.order_id,
        status=intent.status.value,
        payment_intent_id=intent.stripe_intent_id,
        client_secret=intent.client_secret,
    )
