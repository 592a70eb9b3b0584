"""Placing an order: claim the Idempotency-Key, pin and price the hold, then the payment intent."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from ticketing_contracts import Customer, Money, OrderLine, OrderPlacedV1
from ticketing_orders.adapters import coupons_repository, inventory_api
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain.order import (
    OrderStatus,
    access_token_for,
    order_number,
    request_fingerprint,
    token_digest,
)
from ticketing_orders.entrypoints.coupon_use import coupon_discount, reserve_coupon
from ticketing_orders.entrypoints.deps import Orders
from ticketing_orders.entrypoints.schemas import OrderIn, OrderOut
from ticketing_orders.entrypoints.settlement import settle_paid
from ticketing_orders.entrypoints.views import order_view
from ticketing_runtime.identity import Identity
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceUnavailable
from ticketing_runtime.problems import Problem


async def place_order(
    orders: Orders, who: Identity, key: str, body: OrderIn
) -> tuple[OrderOut, bool]:
    """The order for (session, key): ``(order, True)`` when this request created it."""
    fingerprint = request_fingerprint(body.model_dump(mode="json"))
    for _ in range(2):  # a racing request that failed frees the key: then try once more
        order_id = new_id("ord")
        token = access_token_for(order_id, orders.settings.order_token_secret.get_secret_value())
        if await _claim(orders, who, key, fingerprint, order_id, token, body):
            return await _complete(orders, who, order_id, token, body), True
        existing = await _settled(orders, who.subject, key)
        if existing is not None:
            if existing["request_fingerprint"] != fingerprint:
                raise Problem(
                    422,
                    "idempotency-key-reused",
                    "this Idempotency-Key was used with another request body; use a new key",
                )
            replay = OrderOut.model_validate(existing["placed_response"])
            # the same customer asking again (a double click, a retry) gets the token again
            secret = orders.settings.order_token_secret.get_secret_value()
            return replay.model_copy(
                update={"access_token": access_token_for(replay.order_id, secret)}
            ), False
    raise Problem(409, "order-in-progress", "another request with this key is still running; retry")


async def _claim(
    orders: Orders,
    who: Identity,
    key: str,
    fingerprint: str,
    order_id: str,
    token: str,
    body: OrderIn,
) -> bool:
    async with orders.database.unit_of_work() as uow:
        try:
            claimed = await repo.claim(
                uow.session,
                order_id=order_id,
                order_number=order_number(datetime.now(UTC)),
                access_token_digest=token_digest(token),
                session_id=who.subject,
                idempotency_key=key,
                request_fingerprint=fingerprint,
                hold_id=body.hold_id,
                customer_name=body.customer.name,
                customer_email=body.customer.email,
            )
        except IntegrityError as exc:
            raise Problem(
                409, "hold-has-order", f"hold {body.hold_id!r} already belongs to an order"
            ) from exc
        await uow.commit()
    return claimed


async def _settled(orders: Orders, session_id: str, key: str) -> dict[str, Any] | None:
    """The order that holds the key once its placement is over (``None``: it failed)."""
    deadline = time.monotonic() + orders.settings.placement_wait_s
    while time.monotonic() < deadline:
        async with orders.database.unit_of_work() as uow:
            found = await repo.by_key(uow.session, session_id, key)
        if found is None or found["placed_response"] is not None:
            return found
        await asyncio.sleep(0.05)
    raise Problem(409, "order-in-progress", "another request with this key is still running; retry")


async def _complete(
    orders: Orders, who: Identity, order_id: str, token: str, body: OrderIn
) -> OrderOut:
    deadline = datetime.now(UTC) + timedelta(seconds=orders.settings.payment_window_s)
    try:
        if body.coupon:
            await reserve_coupon(orders, who, order_id, body)
        pinned = await _pin(orders, who, order_id, body.hold_id, deadline)
    except BaseException:
        async with orders.database.unit_of_work() as uow:
            await coupons_repository.release(uow.session, order_id)
            await repo.drop_claim(uow.session, order_id)
            await uow.commit()
        raise
    async with orders.database.unit_of_work() as uow:
        order = await _priced(uow, order_id, pinned, deadline, body)
        if order["total_amount"] == 0:
            await settle_paid(orders, uow, order_id, payment_intent_id="")
        await uow.commit()
    if order["total_amount"] > 0:
        await _ask_for_intent(orders, order)
    async with orders.database.unit_of_work() as uow:
        row = await repo.get(uow.session, order_id)
        assert row is not None
        view = await order_view(uow.session, row)
        await repo.update_order(uow.session, order_id, placed_response=view.model_dump(mode="json"))
        await uow.commit()
    return view.model_copy(update={"access_token": token})


async def _pin(
    orders: Orders, who: Identity, order_id: str, hold_id: str, deadline: datetime
) -> dict[str, Any]:
    body = {"order_id": order_id, "until": deadline.isoformat(), "session_id": who.subject}
    return await inventory_api.ask(orders.inventory, "POST", f"/internal/holds/{hold_id}/pin", body)


async def _priced(
    uow: Any, order_id: str, pinned: dict[str, Any], deadline: datetime, body: OrderIn
) -> dict[str, Any]:
    lines = [
        {
            "tier_id": line["tier_id"],
            "tier_name": line["tier_name"],
            "quantity": line["quantity"],
            "unit_price": line["unit_price"],
            "seat_ids": line["seat_ids"],
            "seats": line.get("seats", []),
        }
        for line in pinned["lines"]
    ]
    currency = pinned["lines"][0]["currency"]
    gross = sum(line["unit_price"] * line["quantity"] for line in lines)
    off = await coupon_discount(uow.session, body.coupon, lines)
    total = gross - off
    await repo.add_lines(uow.session, order_id, lines)
    await repo.update_order(
        uow.session,
        order_id,
        status=OrderStatus.PENDING_PAYMENT.value,
        performance_id=pinned["performance_id"],
        event_name=pinned["event_name"],
        starts_at=datetime.fromisoformat(pinned["starts_at"]),
        time_zone=pinned["time_zone"],
        venue_name=pinned["venue_name"],
        venue_address=pinned["venue_address"],
        gross_amount=gross,
        discount_amount=off,
        total_amount=total,
        currency=currency,
        payment_deadline=deadline,
    )
    order = await repo.get(uow.session, order_id)
    assert order is not None
    await uow.publish(
        OrderPlacedV1(
            order_id=order_id,
            order_number=order["order_number"],
            hold_id=body.hold_id,
            performance_id=pinned["performance_id"],
            customer=Customer(name=body.customer.name, email=body.customer.email),
            lines=[
                OrderLine(
                    tier_id=line["tier_id"],
                    quantity=line["quantity"],
                    seat_ids=line["seat_ids"],
                    unit_price=Money(amount=line["unit_price"], currency=currency),
                )
                for line in lines
            ],
            total=Money(amount=total, currency=currency),
            payment_deadline=deadline,
        )
    )
    return order


async def _ask_for_intent(orders: Orders, order: dict[str, Any]) -> None:
    """Inline when payments and Stripe are quick; otherwise payments catches up from
    ``order.placed`` and the customer gets the link by e-mail."""
    try:
        answer = await orders.payments.request(
            "POST",
            "/internal/payment-intents",
            json={
                "order_id": order["order_id"],
                "amount": order["total_amount"],
                "currency": order["currency"],
                "customer_email": order["customer_email"],
                "description": f"Order {order['order_number']}",
            },
            timeout_s=orders.settings.payments_timeout_s,
        )
    except ServiceUnavailable:
        return
    if answer.status_code == 200:
        intent = answer.json()
        async with orders.database.unit_of_work() as uow:
            await repo.update_order(
                uow.session,
                order["order_id"],
                payment_intent_id=intent["payment_intent_id"],
                client_secret=intent["client_secret"],
                payment_status="open",
            )
            await uow.commit()
