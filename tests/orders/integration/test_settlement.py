"""Settling payments in process against the real PostgreSQL: paid means tickets and
``order.paid`` in the outbox in one transaction, once however often payments repeats itself;
a payment after the deadline still pays; one after a cancellation goes back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.orders.integration.conftest import Harness, customer, line, staff
from tests.orders.integration.test_placement import checkout
from ticketing_orders.adapters import orders_repository, refunds_repository, sales_figures
from ticketing_orders.domain.errors import OrderNotFound
from ticketing_orders.domain.model import Order, PaymentStatus, TicketStatus
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import RefundStatus
from ticketing_orders.domain.tickets import verify
from ticketing_orders.entrypoints.views import payment_out
from ticketing_orders.service_layer import refunding, settlement
from ticketing_orders.service_layer.cancellation import cancel_order
from ticketing_orders.service_layer.commands import (
    CancelOrder,
    LearnLateIntent,
    RecordPaymentFailure,
    RefundOrder,
    RejectLateSale,
    SettlePayment,
)
from ticketing_orders.service_layer.placement import place
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceUnavailable

pytestmark = pytest.mark.infra


async def placed(harness: Harness, seats: list[str] | None = None) -> tuple[str, str]:
    """An unpaid order of two tickets: (order id, access token)."""
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 2, 2500, seats)])
    done = await place(harness.orders, checkout(who, hold_id))
    return done.document["order_id"], done.access_token


async def load(harness: Harness, order_id: str) -> Order:
    async with harness.database.unit_of_work() as uow:
        order = await orders_repository.get(uow.session, order_id)
    assert order is not None
    return order


async def pay(harness: Harness, order_id: str, intent: str = "pi_it") -> None:
    async with harness.database.unit_of_work() as uow:
        await settlement.settle_payment(harness.orders, uow, SettlePayment(order_id, intent))
        await uow.commit()


async def paid_events(harness: Harness, order_id: str) -> list[dict[str, Any]]:
    return [e for e in await harness.published("orders.order.paid.v1") if e["order_id"] == order_id]


async def test_a_payment_issues_the_tickets_and_announces_them_once(harness: Harness) -> None:
    order_id, _ = await placed(harness, ["A-1", "A-2"])
    for _ in range(3):  # payments' event redelivered
        await pay(harness, order_id)
    order = await load(harness, order_id)
    assert (order.status, order.payment_status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert [t.seat_id for t in order.tickets] == ["A-1", "A-2"]
    key = harness.orders.ticket_key.public_key()
    assert [verify(key, t.secret).ticket_id for t in order.tickets] == [
        t.ticket_id for t in order.tickets
    ]
    [event] = await paid_events(harness, order_id)
    assert event["payment_intent_id"] == "pi_it"
    assert [t["ticket_id"] for t in event["tickets"]] == [t.ticket_id for t in order.tickets]


async def test_a_payment_after_the_deadline_still_pays(harness: Harness) -> None:
    order_id, _ = await placed(harness)
    async with harness.database.unit_of_work() as uow:
        order = await orders_repository.get(uow.session, order_id, lock=True)
        assert order is not None
        await uow.publish(order.expire(datetime.now(UTC)))
        await orders_repository.save(uow.session, order)
        await uow.commit()
    assert (await load(harness, order_id)).status is OrderStatus.EXPIRED
    await pay(harness, order_id)
    order = await load(harness, order_id)
    assert order.status is OrderStatus.PAID
    assert len(order.tickets) == 2
    assert len(await paid_events(harness, order_id)) == 1


async def test_a_payment_for_a_cancelled_order_goes_back_in_full(harness: Harness) -> None:
    order_id, token = await placed(harness)
    await cancel_order(harness.orders, CancelOrder(order_id, None, token))
    await pay(harness, order_id)
    await pay(harness, order_id)  # redelivered: one refund all the same
    order = await load(harness, order_id)
    assert (order.status, order.tickets) == (OrderStatus.CANCELLED, [])
    # the card was charged (and refunded): not "cancelled, nothing to pay"
    assert payment_out(order).status == PaymentStatus.SUCCEEDED
    async with harness.database.unit_of_work() as uow:
        refunds = await refunds_repository.of_order(uow.session, order_id)
    assert [(r.amount, r.automatic, r.idempotency_key) for r in refunds] == [
        (5000, True, "unwanted-payment")
    ]
    announced = await harness.published("orders.order.refunded.v1")
    [event] = [e for e in announced if e["order_id"] == order_id]
    assert (event["fully_refunded"], event["voided_ticket_ids"]) == (True, [])
    assert event["cause"] == "unwanted_payment"  # the customer's e-mail says why
    assert await paid_events(harness, order_id) == []


async def test_a_payment_that_went_straight_back_is_in_no_revenue(harness: Harness) -> None:
    """The dashboard's refunded figure counts refunds of the orders in its gross only: the
    money of a cancelled order's payment came and went (before, it lowered the net)."""
    kept, _ = await placed(harness)
    performance_id = (await load(harness, kept)).performance_id
    assert performance_id is not None

    async def revenue() -> dict[str, int]:
        async with harness.database.unit_of_work() as uow:
            [row] = await sales_figures.revenue(uow.session, [performance_id])
        return {"gross": row["gross"], "refunded": row["refunded"]}

    await pay(harness, kept)
    before = await revenue()
    unwanted, token = await placed(harness)
    await cancel_order(harness.orders, CancelOrder(unwanted, None, token))
    await pay(harness, unwanted)  # refunded in full at once
    assert (await load(harness, unwanted)).status is OrderStatus.CANCELLED
    assert await revenue() == before


@pytest.mark.parametrize(
    ("performance_cancelled", "cause", "key"),
    [
        (False, "late_payment", "sale-rejected"),
        (True, "performance_cancelled", "performance-cancelled"),
    ],
)
async def test_a_sale_inventory_refuses_is_refunded_for_the_reason_it_gives(
    harness: Harness, performance_cancelled: bool, cause: str, key: str
) -> None:
    order_id, _ = await placed(harness)
    await pay(harness, order_id)
    rejected = RejectLateSale(order_id, "no", performance_cancelled=performance_cancelled)
    for _ in range(2):  # redelivered: one refund
        async with harness.database.unit_of_work() as uow:
            await refunding.refund_rejected_sale(uow, rejected)
            await uow.commit()
    order = await load(harness, order_id)
    assert order.status is OrderStatus.REFUNDED
    async with harness.database.unit_of_work() as uow:
        [refund] = await refunds_repository.of_order(uow.session, order_id)
    assert (refund.automatic, refund.idempotency_key, refund.cause.value) == (True, key, cause)
    [event] = [
        e for e in await harness.published("orders.order.refunded.v1") if e["order_id"] == order_id
    ]
    assert (event["cause"], event["performance_cancelled"]) == (cause, performance_cancelled)


async def test_a_sale_refused_after_a_partial_refund_refunds_the_rest(harness: Harness) -> None:
    """Inventory's answer may come late (its consumer lagged, the message was parked and
    replayed): the tickets still valid must not stand on seats sold to someone else."""
    order_id, _ = await placed(harness)
    await pay(harness, order_id)
    first = (await load(harness, order_id)).tickets[0].ticket_id
    partial = RefundOrder(order_id, [first], None, "one ticket", staff(), None)
    await refunding.request_refund(harness.orders, partial)
    assert (await load(harness, order_id)).status is OrderStatus.PARTIALLY_REFUNDED
    async with harness.database.unit_of_work() as uow:
        await refunding.refund_rejected_sale(uow, RejectLateSale(order_id, "sold out"))
        await uow.commit()
    order = await load(harness, order_id)
    assert order.status is OrderStatus.REFUNDED
    assert {t.status for t in order.tickets} == {TicketStatus.REFUNDED}
    async with harness.database.unit_of_work() as uow:
        refunds = await refunds_repository.of_order(uow.session, order_id)
    assert sorted((r.amount, r.automatic) for r in refunds) == [(2500, False), (2500, True)]


async def test_a_payment_for_an_unknown_order_is_refused(harness: Harness) -> None:
    with pytest.raises(OrderNotFound):
        await pay(harness, "ord_nobody")


async def test_a_failed_attempt_and_a_late_intent_are_recorded(harness: Harness) -> None:
    harness.payments.down = True
    order_id, _ = await placed(harness)
    harness.payments.down = False
    late = LearnLateIntent(order_id, "pi_late")
    harness.payments.read_status = 503  # payments restarting: no secret, so nothing is recorded
    with pytest.raises(ServiceUnavailable, match="503"):
        async with harness.database.unit_of_work() as uow:
            await settlement.learn_late_intent(harness.orders, uow, late)
    assert (await load(harness, order_id)).payment_intent_id is None  # the retry will record it
    harness.payments.read_status = 200
    async with harness.database.unit_of_work() as uow:
        await settlement.learn_late_intent(harness.orders, uow, late)
        await uow.commit()
    order = await load(harness, order_id)
    assert (order.payment_intent_id, order.client_secret) == ("pi_late", "cs_late")
    assert order.payment_status is PaymentStatus.OPEN
    async with harness.database.unit_of_work() as uow:
        await settlement.record_payment_failure(uow, RecordPaymentFailure(order_id, "declined"))
        await uow.commit()
    order = await load(harness, order_id)
    assert (order.payment_status, order.payment_error) == (PaymentStatus.FAILED, "declined")
    assert order.status is OrderStatus.PENDING_PAYMENT


async def test_a_decline_heard_after_another_card_paid_leaves_the_order_paid(
    harness: Harness,
) -> None:
    order_id, _ = await placed(harness)
    await pay(harness, order_id)
    async with harness.database.unit_of_work() as uow:
        late = RecordPaymentFailure(order_id, "the first card was declined")
        await settlement.record_payment_failure(uow, late)
        await uow.commit()
    order = await load(harness, order_id)
    assert (order.status, order.payment_status) == (OrderStatus.PAID, PaymentStatus.SUCCEEDED)
    assert order.payment_error is None


async def desk_sale(harness: Harness) -> str:
    """A box-office sale of two tickets, paid in cash at once: its order id."""
    clerk = staff()
    hold_id = harness.inventory.hold(clerk.subject, [line("floor", 2, 2500)])
    command = replace(
        checkout(clerk, hold_id, key=new_id("desk")), desk_payment="cash", sold_by=clerk.subject
    )
    done = await place(harness.orders, command)
    assert done.document["status"] == "paid"
    return str(done.document["order_id"])


@pytest.mark.parametrize("performance_cancelled", [True, False], ids=["cancelled", "refused"])
async def test_a_desk_sale_inventory_refuses_is_owed_at_the_desk_never_counted_given_back(
    harness: Harness, performance_cancelled: bool
) -> None:
    """The cash is in the till: an automatic refund cannot give it back. The show cancelled as
    the clerk sold: the customer is told to come to the desk, as for the others. Refused for
    another reason: the tickets are voided and the refund waits for staff to pay it back by
    hand (before, it was recorded as given back, and nobody was asked to)."""
    order_id = await desk_sale(harness)
    rejected = RejectLateSale(order_id, "no", performance_cancelled=performance_cancelled)
    for _ in range(2):  # redelivered
        async with harness.database.unit_of_work() as uow:
            await refunding.refund_rejected_sale(uow, rejected)
            await uow.commit()
    owed = [
        e
        for e in await harness.published("orders.order.refund_owed.v1")
        if e["order_id"] == order_id
    ]
    async with harness.database.unit_of_work() as uow:
        made = await refunds_repository.of_order(uow.session, order_id)
    order = await load(harness, order_id)
    if performance_cancelled:
        assert [e["amount"]["amount"] for e in owed][:1] == [5000]
        assert made == []
        assert order.status is OrderStatus.PAID  # the desk refunds it when the customer comes
    else:
        assert owed == []
        [refund] = made
        assert (refund.status, refund.amount) == (RefundStatus.FAILED, 5000)
        assert "box office" in str(refund.error)
        assert order.status is OrderStatus.REFUNDED
        assert {t.status for t in order.tickets} == {TicketStatus.REFUNDED}
