"""Placing an order: claim the Idempotency-Key, pin and price the hold, then the payment intent."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.adapters import coupons_repository, inventory_api
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.adapters.inventory_api import InventoryUnavailable
from ticketing_orders.domain.errors import (
    HoldHasOrder,
    HoldNotFound,
    IdempotencyKeyReused,
    OrderInProgress,
    OrdersRefusal,
)
from ticketing_orders.domain.model import Order, OrderLine, PinnedHold
from ticketing_orders.domain.order import (
    access_token_for,
    order_number,
    request_fingerprint,
    token_digest,
)
from ticketing_orders.service_layer import coupons
from ticketing_orders.service_layer.commands import PlaceOrder
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.settlement import settle
from ticketing_runtime.audit import record_action
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceUnavailable


@dataclass(frozen=True)
class Placed:
    """The order as placed (``present``ed), its access token, and whether this call made it."""

    document: dict[str, Any]
    access_token: str
    created: bool


async def place(orders: Orders, command: PlaceOrder) -> Placed:
    """The order for (session, key): ``created`` when this request made it."""
    fingerprint = request_fingerprint(command.request)
    for _ in range(3):  # a racing request that failed frees the key: then try once more
        claim = _claim_of(orders, command, fingerprint)
        token = _token_of(orders, claim.order_id)
        if await _claim(orders, command, claim):
            return Placed(await _complete(orders, command, claim, token), token, True)
        existing = await _settled(orders, command.who.subject, command.idempotency_key)
        if existing is None:
            continue
        if existing.request_fingerprint != fingerprint:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used with another request body; use a new key"
            )
        token = _token_of(orders, existing.order_id)
        if (replayed := existing.replayed_answer()) is not None:
            # the same customer asking again (a double click, a retry) gets the token again
            return Placed(replayed, token, False)
        if taken := await _take_over(orders, existing.order_id, token):
            if taken.is_priced:  # only its answer was lost
                async with _leased(orders, taken.order_id):
                    return Placed(await _answer(orders, taken), token, True)
            return Placed(await _complete(orders, command, taken, token), token, True)
    raise OrderInProgress("another request with this key is still running; retry")


def _token_of(orders: Orders, order_id: str) -> str:
    """The order's access token: derived from its id under the secret, so the links in its
    e-mails can carry it and a replayed answer can give it again."""
    return access_token_for(order_id, orders.settings.order_token_secret.get_secret_value())


def _claim_of(orders: Orders, command: PlaceOrder, fingerprint: str) -> Order:
    order_id = new_id("ord")
    return Order(
        order_id=order_id,
        order_number=order_number(datetime.now(UTC)),
        session_id=command.who.subject,
        idempotency_key=command.idempotency_key,
        request_fingerprint=fingerprint,
        hold_id=command.hold_id,
        customer_name=command.name,
        customer_email=command.email,
        access_token_digest=token_digest(_token_of(orders, order_id)),
        payment_method=command.desk_payment,
        sold_by=command.sold_by,
    )


# Postgres's name for the unique constraint on orders.order_number (migration 0002)
ORDER_NUMBER_TAKEN = "orders_order_number_key"
NUMBER_DRAWS = 5


class _NumberTaken(Exception):
    """Another order of the day drew the same order number."""


async def _claim(orders: Orders, command: PlaceOrder, claim: Order) -> bool:
    """Claim the key with ``claim``. An order number drawn before (31^6 a day: at 100,000
    orders a day, a few times a day) is drawn again rather than refusing the order."""
    for _ in range(NUMBER_DRAWS):
        try:
            return await _claim_numbered(orders, command, claim)
        except _NumberTaken:
            claim.order_number = order_number(datetime.now(UTC))
    raise OrderInProgress("no free order number was drawn; retry")


async def _claim_numbered(orders: Orders, command: PlaceOrder, claim: Order) -> bool:
    async with orders.database.unit_of_work() as uow:
        try:
            claimed = await repo.claim(uow.session, claim, orders.settings.placement_lease_s)
        except IntegrityError as exc:
            await uow.session.rollback()
            if ORDER_NUMBER_TAKEN in str(exc.orig):
                raise _NumberTaken from exc
            # ON CONFLICT covers the key's constraint only: a racing request with this key
            # that committed first trips the hold's constraint instead; then it is a replay
            if await repo.by_key(uow.session, command.who.subject, command.idempotency_key):
                return False
            raise await _hold_taken(uow.session, command) from exc
        await uow.commit()
    return claimed


async def _hold_taken(session: AsyncSession, command: PlaceOrder) -> OrdersRefusal:
    """A hold already on an order: the caller's own hears so; another session's hold answers
    exactly as an unknown hold does (inventory's 404), so nobody learns it exists."""
    hold_id = command.hold_id
    if await repo.live_order_of_hold(session, hold_id, command.who.subject):
        return HoldHasOrder(f"hold {hold_id!r} already belongs to an order")
    return HoldNotFound(f"no hold {hold_id!r} in this session")


async def _take_over(orders: Orders, order_id: str, token: str) -> Order | None:
    async with orders.database.unit_of_work() as uow:
        taken = await repo.take_over(
            uow.session, order_id, token_digest(token), orders.settings.placement_lease_s
        )
        await uow.commit()
    return taken


async def _settled(orders: Orders, session_id: str, key: str) -> Order | None:
    """The order that holds the key once its placement is over or abandoned (its lease ran
    out: the process placing it died); ``None``: it failed and freed the key."""
    deadline = time.monotonic() + orders.settings.placement_wait_s
    while time.monotonic() < deadline:
        async with orders.database.unit_of_work() as uow:
            found = await repo.by_key(uow.session, session_id, key)
            now = await repo.database_now(uow.session)
        if found is None or found.placed_response is not None:
            return found
        if found.placing_until is None or found.placing_until < now:
            return found
        await asyncio.sleep(0.05)
    raise OrderInProgress("another request with this key is still running; retry")


async def _complete(
    orders: Orders, command: PlaceOrder, claim: Order, token: str
) -> dict[str, Any]:
    try:
        async with _leased(orders, claim.order_id):
            return await _place(orders, command, claim)
    except InventoryUnavailable:
        # inventory may have pinned the hold to this order before its answer was lost: the
        # claim (and the order id the pin names) stays for a retry of the key, which takes it
        # over at once; never retried, it is dropped as an abandoned placement
        async with orders.database.unit_of_work() as uow:
            await repo.end_lease(uow.session, claim.order_id)
            await uow.commit()
        raise


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


async def _place(orders: Orders, command: PlaceOrder, claim: Order) -> dict[str, Any]:
    order_id = claim.order_id
    deadline = datetime.now(UTC) + timedelta(seconds=orders.settings.payment_window_s)
    try:
        if command.coupon and claim.coupon_code is None:
            lines, currency = await _hold_lines(orders, command)
            await coupons.reserve_coupon(orders, order_id, command, lines, currency)
        # the seats stay pinned through the grace: a payment made in the last seconds is heard
        # (its webhook, a consumer's backlog) before anyone else can take them
        grace = timedelta(seconds=orders.settings.payment_grace_s)
        pinned = await _pin(orders, command, order_id, deadline + grace)
    except (InventoryUnavailable, asyncio.CancelledError):
        # no answer, or the request cancelled while inventory may have pinned: the claim stays
        # for a retry of the key (``_complete``; cancelled, its lease runs out by itself)
        raise
    except BaseException:
        async with orders.database.unit_of_work() as uow:
            await coupons_repository.release(uow.session, order_id)
            await repo.drop_claim(uow.session, order_id)
            await uow.commit()
        raise
    async with orders.database.unit_of_work() as uow:
        order = await repo.get(uow.session, order_id, lock=True)
        assert order is not None, "a claimed order stays until its placement ends"
        off = await coupons.coupon_discount(uow.session, order.coupon_code, pinned.lines)
        await uow.publish(order.price(pinned, discount=off, deadline=deadline))
        await repo.save(uow.session, order)
        if order.total_amount == 0 or order.payment_method:
            await settle(orders, uow, order, payment_intent_id="")
        if order.payment_method:
            await _record_desk_sale(uow, command, order)
        await uow.commit()
    return await _answer(orders, order)


async def _answer(orders: Orders, order: Order) -> dict[str, Any]:
    """Ask for the payment intent, then record the answer the key replays from now on."""
    if order.needs_intent:
        await _ask_for_intent(orders, order)
    async with orders.database.unit_of_work() as uow:
        now = await repo.get(uow.session, order.order_id)
        assert now is not None
        document = await orders.present(uow.session, now)
        now.record_answer(document)
        await repo.save(uow.session, now)
        await uow.commit()
    return document


async def _record_desk_sale(uow: UnitOfWork, command: PlaceOrder, order: Order) -> None:
    money = {"amount": order.total_amount, "currency": order.currency}
    sale = {"order_number": order.order_number, "payment_method": order.payment_method}
    details: dict[str, Any] = {**sale, "total": money}
    target = ("order", order.order_id)
    action, order_id = "orders.box_office.sold", order.order_id
    await record_action(uow, command.who, action, order_id=order_id, target=target, details=details)


async def _hold_lines(orders: Orders, command: PlaceOrder) -> tuple[list[OrderLine], str]:
    """The hold's lines before it is pinned (a coupon is checked against them)."""
    path = f"/internal/holds/{quote(command.hold_id)}?session_id={quote(command.who.subject)}"
    hold = await inventory_api.ask(orders.inventory, "GET", path)
    return [_line_of(x) for x in hold["lines"]], hold["lines"][0]["currency"]


async def _pin(
    orders: Orders, command: PlaceOrder, order_id: str, deadline: datetime
) -> PinnedHold:
    body = {"order_id": order_id, "until": deadline.isoformat(), "session_id": command.who.subject}
    path = f"/internal/holds/{command.hold_id}/pin"
    pinned = await inventory_api.ask(orders.inventory, "POST", path, body)
    return PinnedHold(
        performance_id=pinned["performance_id"],
        event_name=pinned["event_name"],
        starts_at=datetime.fromisoformat(pinned["starts_at"]),
        time_zone=pinned["time_zone"],
        venue_name=pinned["venue_name"],
        venue_address=pinned["venue_address"],
        currency=pinned["lines"][0]["currency"],
        lines=tuple(_line_of(line) for line in pinned["lines"]),
    )


def _line_of(line: dict[str, Any]) -> OrderLine:
    return OrderLine(
        tier_id=line["tier_id"],
        tier_name=line.get("tier_name", ""),
        quantity=line["quantity"],
        unit_price=line["unit_price"],
        seat_ids=list(line.get("seat_ids") or []),
        seats=line.get("seats", []),
    )


async def _ask_for_intent(orders: Orders, order: Order) -> None:
    """Inline when payments and Stripe are quick; otherwise payments catches up from
    ``order.placed`` and the customer gets the link by e-mail."""
    try:
        answer = await orders.payments.request(
            "POST",
            "/internal/payment-intents",
            json={
                "order_id": order.order_id,
                "amount": order.total_amount,
                "currency": order.currency,
                "customer_email": order.customer_email,
                "description": f"Order {order.order_number}",
            },
            timeout_s=orders.settings.payments_timeout_s,
        )
    except ServiceUnavailable:
        return
    if answer.status_code == 200:
        intent = answer.json()
        async with orders.database.unit_of_work() as uow:
            found = await repo.get(uow.session, order.order_id)
            assert found is not None
            found.record_intent(intent["payment_intent_id"], intent["client_secret"])
            await repo.save(uow.session, found)
            await uow.commit()
