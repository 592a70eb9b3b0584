"""Placing an order: claim the Idempotency-Key, pin and price the hold, then the payment intent."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

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
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.identity import Identity
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceUnavailable
from ticketing_runtime.problems import Problem


@dataclass(frozen=True)
class Placement:
    """What an order is placed from: a customer's checkout, or a sale at the box office."""

    hold_id: str
    name: str
    email: str | None  # None: a desk sale to someone who gave no address
    coupon: str | None = None
    desk_payment: str | None = None  # cash, card_terminal, complimentary: paid at once
    sold_by: str | None = None

    @classmethod
    def checkout(cls, body: OrderIn) -> Placement:
        return cls(body.hold_id, body.customer.name, str(body.customer.email), body.coupon)


async def place_order(
    orders: Orders, who: Identity, key: str, body: OrderIn
) -> tuple[OrderOut, bool]:
    """The order for (session, key): ``(order, True)`` when this request created it."""
    return await place(orders, who, key, Placement.checkout(body), body.model_dump(mode="json"))


async def place(
    orders: Orders, who: Identity, key: str, placement: Placement, body: dict[str, Any]
) -> tuple[OrderOut, bool]:
    """The order of ``placement`` for (``who``, key); ``body`` is the request, as sent."""
    fingerprint = request_fingerprint(body)
    for _ in range(3):  # a racing request that failed frees the key: then try once more
        order_id = new_id("ord")
        token = _token_of(orders, order_id)
        if await _claim(orders, who, key, fingerprint, order_id, token, placement):
            view = await _complete(orders, who, order_id, token, placement, coupon_reserved=False)
            return view, True
        existing = await _settled(orders, who.subject, key)
        if existing is None:
            continue
        if existing["request_fingerprint"] != fingerprint:
            raise Problem(
                422,
                "idempotency-key-reused",
                "this Idempotency-Key was used with another request body; use a new key",
            )
        token = _token_of(orders, existing["order_id"])
        if existing["placed_response"] is not None:
            # the same customer asking again (a double click, a retry) gets the token again
            replay = OrderOut.model_validate(existing["placed_response"])
            return replay.model_copy(update={"access_token": token}), False
        if taken := await _take_over(orders, existing["order_id"], token):
            if taken["status"] != OrderStatus.PLACING:  # priced: only its answer was lost
                async with _leased(orders, taken["order_id"]):
                    return await _answer(orders, taken, token), True
            reserved = taken["coupon_code"] is not None
            view = await _complete(orders, who, taken["order_id"], token, placement, reserved)
            return view, True
    raise Problem(409, "order-in-progress", "another request with this key is still running; retry")


def _token_of(orders: Orders, order_id: str) -> str:
    """The order's access token: derived from its id under the secret, so the links in its
    e-mails can carry it and a replayed answer can give it again."""
    return access_token_for(order_id, orders.settings.order_token_secret.get_secret_value())


async def _claim(
    orders: Orders,
    who: Identity,
    key: str,
    fingerprint: str,
    order_id: str,
    token: str,
    body: Placement,
) -> bool:
    async with orders.database.unit_of_work() as uow:
        try:
            claimed = await repo.claim(
                uow.session,
                orders.settings.placement_lease_s,
                order_id=order_id,
                order_number=order_number(datetime.now(UTC)),
                access_token_digest=token_digest(token),
                session_id=who.subject,
                idempotency_key=key,
                request_fingerprint=fingerprint,
                hold_id=body.hold_id,
                customer_name=body.name,
                customer_email=body.email,
                payment_method=body.desk_payment,
                sold_by=body.sold_by,
            )
        except IntegrityError as exc:
            await uow.session.rollback()
            raise await _hold_taken(uow.session, who, body.hold_id) from exc
        await uow.commit()
    return claimed


async def _hold_taken(session: AsyncSession, who: Identity, hold_id: str) -> Problem:
    """A hold already on an order: the caller's own hears so; another session's hold answers
    exactly as an unknown hold does (inventory's 404), so nobody learns it exists."""
    if await repo.live_order_of_hold(session, hold_id, who.subject):
        return Problem(409, "hold-has-order", f"hold {hold_id!r} already belongs to an order")
    return Problem(404, "hold-not-found", f"no hold {hold_id!r} in this session")


async def _take_over(orders: Orders, order_id: str, token: str) -> dict[str, Any] | None:
    async with orders.database.unit_of_work() as uow:
        taken = await repo.take_over(
            uow.session, order_id, token_digest(token), orders.settings.placement_lease_s
        )
        await uow.commit()
    return taken


async def _settled(orders: Orders, session_id: str, key: str) -> dict[str, Any] | None:
    """The order that holds the key once its placement is over or abandoned (its lease ran
    out: the process placing it died); ``None``: it failed and freed the key."""
    deadline = time.monotonic() + orders.settings.placement_wait_s
    while time.monotonic() < deadline:
        async with orders.database.unit_of_work() as uow:
            found = await repo.by_key(uow.session, session_id, key)
            now = await repo.database_now(uow.session)
        if found is None or found["placed_response"] is not None:
            return found
        if found["placing_until"] is None or found["placing_until"] < now:
            return found
        await asyncio.sleep(0.05)
    raise Problem(409, "order-in-progress", "another request with this key is still running; retry")


async def _complete(
    orders: Orders,
    who: Identity,
    order_id: str,
    token: str,
    body: Placement,
    coupon_reserved: bool,
) -> OrderOut:
    async with _leased(orders, order_id):
        return await _place(orders, who, order_id, token, body, coupon_reserved)


@contextlib.asynccontextmanager
async def _leased(orders: Orders, order_id: str) -> AsyncIterator[None]:
    """Renew the placement's lease while this request lives: when its process dies, the lease
    runs out within ``placement_lease_s`` and a retry of the same key takes the placement over."""
    lease_s = orders.settings.placement_lease_s

    async def renew() -> None:
        while True:
            await asyncio.sleep(lease_s / 3)
            async with orders.database.unit_of_work() as uow:
                await repo.renew_lease(uow.session, order_id, lease_s)
                await uow.commit()

    renewing = asyncio.create_task(renew(), name=f"lease {order_id}")
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await renewing


async def _place(
    orders: Orders,
    who: Identity,
    order_id: str,
    token: str,
    body: Placement,
    coupon_reserved: bool,
) -> OrderOut:
    deadline = datetime.now(UTC) + timedelta(seconds=orders.settings.payment_window_s)
    try:
        if body.coupon and not coupon_reserved:
            await reserve_coupon(orders, who, order_id, body.hold_id, body.coupon, body.email)
        pinned = await _pin(orders, who, order_id, body.hold_id, deadline)
    except BaseException:
        async with orders.database.unit_of_work() as uow:
            await coupons_repository.release(uow.session, order_id)
            await repo.drop_claim(uow.session, order_id)
            await uow.commit()
        raise
    async with orders.database.unit_of_work() as uow:
        order = await _priced(uow, order_id, pinned, deadline, body)
        if order["total_amount"] == 0 or body.desk_payment:
            await settle_paid(orders, uow, order_id, payment_intent_id="")
        if body.desk_payment:
            await _record_desk_sale(uow, who, order)
        await uow.commit()
    return await _answer(orders, order, token)


async def _answer(orders: Orders, order: dict[str, Any], token: str) -> OrderOut:
    """Ask for the payment intent, then record the answer the key replays from now on."""
    order_id = order["order_id"]
    if order["total_amount"] and not order["payment_intent_id"] and not order["payment_method"]:
        await _ask_for_intent(orders, order)
    async with orders.database.unit_of_work() as uow:
        row = await repo.get(uow.session, order_id)
        assert row is not None
        view = await order_view(uow.session, row)
        await repo.update_order(uow.session, order_id, placed_response=view.model_dump(mode="json"))
        await uow.commit()
    return view.model_copy(update={"access_token": token})


async def _record_desk_sale(uow: UnitOfWork, clerk: Identity, order: dict[str, Any]) -> None:
    await record_action(
        uow,
        clerk,
        "orders.box_office.sold",
        order_id=order["order_id"],
        target=("order", order["order_id"]),
        details={
            "order_number": order["order_number"],
            "payment_method": order["payment_method"],
            "total": {"amount": order["total_amount"], "currency": order["currency"]},
        },
    )


async def _pin(
    orders: Orders, who: Identity, order_id: str, hold_id: str, deadline: datetime
) -> dict[str, Any]:
    body = {"order_id": order_id, "until": deadline.isoformat(), "session_id": who.subject}
    return await inventory_api.ask(orders.inventory, "POST", f"/internal/holds/{hold_id}/pin", body)


async def _priced(
    uow: Any, order_id: str, pinned: dict[str, Any], deadline: datetime, body: Placement
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
    if body.desk_payment == "complimentary":
        off = gross  # a free seat given at the desk: no revenue
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
            customer=Customer(name=body.name, email=body.email or ""),
            payment_method=body.desk_payment,
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
