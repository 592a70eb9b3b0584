"""Placing an order in process against the real PostgreSQL, inventory and payments stubbed at
their HTTP APIs: the key claimed, the hold pinned and priced, ``order.placed`` in the outbox,
and the same Idempotency-Key answering the same order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.orders.integration.conftest import Harness, customer, line
from ticketing_orders.adapters import orders_repository
from ticketing_orders.adapters.inventory_api import InventoryRefused, InventoryUnavailable
from ticketing_orders.domain.errors import HoldHasOrder, IdempotencyKeyReused
from ticketing_orders.domain.model import PaymentStatus
from ticketing_orders.domain.order import OrderStatus, token_matches
from ticketing_orders.service_layer import placement
from ticketing_orders.service_layer.cancellation import cancel_order
from ticketing_orders.service_layer.commands import CancelOrder, PlaceOrder
from ticketing_orders.service_layer.placement import place
from ticketing_runtime.callers import Identity

pytestmark = pytest.mark.infra


def checkout(who: Identity, hold_id: str, key: str = "key-0001-abcd", **body: Any) -> PlaceOrder:
    request = {"hold_id": hold_id, "customer": {"name": "Ana", "email": "ana@example.test"}}
    return PlaceOrder(
        who=who,
        idempotency_key=key,
        hold_id=hold_id,
        name="Ana",
        email="ana@example.test",
        request={**request, **body},
        coupon=body.get("coupon"),
    )


async def test_an_order_is_priced_from_its_pinned_hold_and_announced(harness: Harness) -> None:
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 2, 2500, ["A-1", "A-2"])])
    placed = await place(harness.orders, checkout(who, hold_id))
    document = placed.document
    assert placed.created
    assert (document["status"], document["total"]) == (
        "pending_payment",
        {"amount": 5000, "currency": "EUR"},
    )
    assert document["payment"]["status"] == "open"  # payments answered the intent inline
    assert [pin["order_id"] for pin in harness.inventory.pins] == [document["order_id"]]
    async with harness.database.unit_of_work() as uow:
        order = await orders_repository.get(uow.session, document["order_id"])
    assert order is not None
    assert order.status is OrderStatus.PENDING_PAYMENT
    assert order.payment_status is PaymentStatus.OPEN
    assert [(x.tier_id, x.seat_ids) for x in order.lines] == [("floor", ["A-1", "A-2"])]
    assert token_matches(placed.access_token, order.access_token_digest)
    announced = await harness.published("orders.order.placed.v1")
    assert [e["order_id"] for e in announced if e["hold_id"] == hold_id] == [order.order_id]


async def test_the_same_key_and_body_replay_the_first_answer(harness: Harness) -> None:
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    first = await place(harness.orders, checkout(who, hold_id))
    again = await place(harness.orders, checkout(who, hold_id))
    assert (first.created, again.created) == (True, False)
    assert again.document == first.document
    assert again.access_token == first.access_token
    assert len(harness.inventory.pins) == 1  # the replay never touched the hold
    assert len(harness.payments.intents) == 1


async def test_a_replay_after_the_order_was_cancelled_hands_out_no_payment_secret(
    harness: Harness,
) -> None:
    """The replay answered the first answer whole, the secret to pay a dead order included."""
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    first = await place(harness.orders, checkout(who, hold_id))
    assert first.document["payment"]["client_secret"]
    order_id, token = first.document["order_id"], first.access_token
    await cancel_order(harness.orders, CancelOrder(order_id, None, token))
    again = await place(harness.orders, checkout(who, hold_id))
    assert again.created is False
    assert again.document["payment"]["client_secret"] is None
    assert again.document["order_id"] == order_id


async def test_racing_requests_with_one_key_make_one_order(harness: Harness) -> None:
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    results = await asyncio.gather(
        *(place(harness.orders, checkout(who, hold_id)) for _ in range(5))
    )
    assert sorted(r.created for r in results) == [False, False, False, False, True]
    assert len({r.document["order_id"] for r in results}) == 1
    assert len(harness.inventory.pins) == 1


async def test_the_same_key_with_another_body_is_refused(harness: Harness) -> None:
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    await place(harness.orders, checkout(who, hold_id))
    with pytest.raises(IdempotencyKeyReused):
        await place(harness.orders, checkout(who, hold_id, coupon="OTHER"))


async def test_a_hold_already_on_an_order_is_refused_under_a_new_key(harness: Harness) -> None:
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    await place(harness.orders, checkout(who, hold_id, key="key-first-0001"))
    with pytest.raises(HoldHasOrder):
        await place(harness.orders, checkout(who, hold_id, key="key-second-002"))


async def test_another_sessions_hold_is_inventorys_404_and_frees_the_key(harness: Harness) -> None:
    owner, stranger = customer(), customer()
    hold_id = harness.inventory.hold(owner.subject, [line("floor", 1, 2500)])
    with pytest.raises(InventoryRefused) as refused:
        await place(harness.orders, checkout(stranger, hold_id))
    assert refused.value.status == 404
    async with harness.database.unit_of_work() as uow:
        claim = await orders_repository.by_key(uow.session, stranger.subject, "key-0001-abcd")
    assert claim is None  # the failed placement dropped its claim


async def test_a_pin_whose_answer_was_lost_is_taken_over_by_the_retry_of_its_key(
    harness: Harness,
) -> None:
    """Inventory pinned the hold to the order, then its answer timed out: the retry of the same
    key must place that order, not a new one the hold (pinned to the first) would refuse."""
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    harness.inventory.lose_pin_answers = 1
    with pytest.raises(InventoryUnavailable):
        await place(harness.orders, checkout(who, hold_id))

    placed = await place(harness.orders, checkout(who, hold_id))

    assert placed.created
    assert placed.document["status"] == "pending_payment"
    pinned_for = {pin["order_id"] for pin in harness.inventory.pins}
    assert pinned_for == {placed.document["order_id"]}


async def test_a_pin_answered_with_a_server_error_is_taken_over_by_the_retry_of_its_key(
    harness: Harness,
) -> None:
    """Inventory pinned the hold in Redis, then failed (a 500): the order id it pinned to stays
    claimed, so the retry places that order; before, the claim was dropped and the retry's new
    order was refused by the hold pinned to the first, until its deadline."""
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    harness.inventory.fail_after_pinning = 1
    with pytest.raises(InventoryUnavailable):
        await place(harness.orders, checkout(who, hold_id))

    placed = await place(harness.orders, checkout(who, hold_id))

    assert placed.document["status"] == "pending_payment"
    assert {pin["order_id"] for pin in harness.inventory.pins} == {placed.document["order_id"]}


async def test_payments_down_leaves_the_order_payable_later(harness: Harness) -> None:
    harness.payments.down = True
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    placed = await place(harness.orders, checkout(who, hold_id))
    assert placed.document["status"] == "pending_payment"
    assert placed.document["payment"]["status"] == "creating"


async def test_an_order_number_drawn_twice_is_drawn_again_not_refused(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = customer()
    first_hold = harness.inventory.hold(first.subject, [line("floor", 1, 2500)])
    taken = await place(harness.orders, checkout(first, first_hold))
    draws = iter([taken.document["order_number"], "ORD-20261202-NEXT22"])
    monkeypatch.setattr(placement, "order_number", lambda now: next(draws))
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 1, 2500)])
    placed = await place(harness.orders, checkout(who, hold_id))
    assert placed.created
    assert placed.document["order_number"] == "ORD-20261202-NEXT22"
    assert placed.document["order_id"] != taken.document["order_id"]
