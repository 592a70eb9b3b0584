"""Refunds in process against the real PostgreSQL: tickets voided and revoked at the door,
``order.refunded`` in the outbox, the same Idempotency-Key answering the same refund (and
refusing another), and a ticket scanned meanwhile refusing the refund."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.orders.integration.conftest import Harness, staff
from tests.orders.integration.test_settlement import desk_sale, load, pay, placed
from ticketing_orders.adapters import (
    door_repository,
    orders_repository,
    refunds_repository,
    sales_figures,
)
from ticketing_orders.domain.errors import IdempotencyKeyReused
from ticketing_orders.domain.model import TicketStatus
from ticketing_orders.domain.order import OrderStatus
from ticketing_orders.domain.refunds import (
    FailedRefundUnsettled,
    OrderNotRefundable,
    RefundNotFailed,
    RefundNotFound,
    RefundStatus,
    RefundTooLarge,
    TicketNotRefundable,
)
from ticketing_orders.service_layer import settlement
from ticketing_orders.service_layer.commands import (
    GiveBackCancelledPerformance,
    RefundOrder,
    SettleRefund,
)
from ticketing_orders.service_layer.performance_cancellation import (
    give_back_cancelled_performance,
)
from ticketing_orders.service_layer.refunding import (
    SettleFailedRefund,
    request_refund,
    settle_failed_refund,
)
from ticketing_runtime.ids import new_id

pytestmark = pytest.mark.infra


def refund(order_id: str, **changes: object) -> RefundOrder:
    values: dict[str, object] = {
        "order_id": order_id,
        "ticket_ids": None,
        "amount": None,
        "reason": "asked",
        "requested_by": staff(),
        "idempotency_key": None,
        **changes,
    }
    return RefundOrder(**values)  # type: ignore[arg-type]


async def paid_order(harness: Harness) -> tuple[str, list[str]]:
    order_id, _ = await placed(harness)
    await pay(harness, order_id)
    return order_id, [t.ticket_id for t in (await load(harness, order_id)).tickets]


async def test_one_ticket_refunded_is_voided_revoked_and_announced(harness: Harness) -> None:
    order_id, tickets = await paid_order(harness)
    made, created = await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
    assert created
    assert (made.amount, made.ticket_ids, made.status) == (2500, tickets[:1], RefundStatus.PENDING)
    order = await load(harness, order_id)
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert [t.status for t in order.tickets] == [TicketStatus.REFUNDED, TicketStatus.VALID]
    async with harness.database.unit_of_work() as uow:
        revoked, _ = await door_repository.revocations_since(uow.session, "perf_it", 0, 10_000)
    assert tickets[0] in [r["ticket_id"] for r in revoked]
    [event] = [
        e for e in await harness.published("orders.order.refunded.v1") if e["order_id"] == order_id
    ]
    assert (event["amount"]["amount"], event["fully_refunded"]) == (2500, False)
    assert (event["automatic"], event["cause"]) == (False, "staff")


async def test_the_same_key_answers_the_first_refund(harness: Harness) -> None:
    order_id, _ = await paid_order(harness)
    first, created = await request_refund(
        harness.orders, refund(order_id, amount=1000, idempotency_key="refund-key-1")
    )
    again, again_created = await request_refund(
        harness.orders, refund(order_id, amount=1000, idempotency_key="refund-key-1")
    )
    assert (created, again_created) == (True, False)
    assert again.refund_id == first.refund_id
    events = await harness.published("orders.order.refunded.v1")
    assert len([e for e in events if e["order_id"] == order_id]) == 1


async def test_the_same_key_with_another_refund_is_refused_and_refunds_nothing(
    harness: Harness,
) -> None:
    """A clerk's retry after a timeout, with the selection changed meanwhile: never the earlier
    refund shown as if it were the new one."""
    order_id, tickets = await paid_order(harness)
    key = "refund-key-2"
    await request_refund(
        harness.orders, refund(order_id, ticket_ids=tickets[:1], idempotency_key=key)
    )
    for other in (
        refund(order_id, ticket_ids=tickets[1:], idempotency_key=key),
        refund(order_id, idempotency_key=key),  # everything left
        refund(order_id, ticket_ids=tickets[:1], reason="another", idempotency_key=key),
    ):
        with pytest.raises(IdempotencyKeyReused, match="another refund"):
            await request_refund(harness.orders, other)
    order = await load(harness, order_id)
    assert [t.status for t in order.tickets] == [TicketStatus.REFUNDED, TicketStatus.VALID]


async def test_the_rest_refunds_the_order_and_then_nothing_is_left(harness: Harness) -> None:
    order_id, _ = await paid_order(harness)
    made, _ = await request_refund(harness.orders, refund(order_id))
    assert made.amount == 5000
    assert (await load(harness, order_id)).status is OrderStatus.REFUNDED
    with pytest.raises(OrderNotRefundable):
        await request_refund(harness.orders, refund(order_id, amount=1))


async def test_more_than_was_paid_is_refused(harness: Harness) -> None:
    order_id, _ = await paid_order(harness)
    with pytest.raises(RefundTooLarge):
        await request_refund(harness.orders, refund(order_id, amount=5001))


async def test_a_ticket_used_at_the_door_is_not_refunded(harness: Harness) -> None:
    order_id, tickets = await paid_order(harness)
    async with harness.database.unit_of_work() as uow:
        assert await orders_repository.mark_used(uow.session, tickets[0], "scanner") is not None
        await uow.commit()
    with pytest.raises(TicketNotRefundable):
        await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
    assert (await load(harness, order_id)).status is OrderStatus.PAID


async def test_stripes_later_failure_of_an_accepted_refund_is_recorded(harness: Harness) -> None:
    """Succeeded first (Stripe accepted it), failed later: the refund shows failed, keeps
    Stripe's id, and the failed-refunds gauge (staff must settle) counts it."""
    order_id, tickets = await paid_order(harness)
    made, _ = await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
    accepted = SettleRefund(made.refund_id, order_id, True, "re_later")
    failed = SettleRefund(made.refund_id, order_id, False, error="the card account is closed")
    for command in (accepted, failed, accepted):  # a late success redelivered changes nothing
        async with harness.database.unit_of_work() as uow:
            await settlement.settle_refund(uow, command)
            await uow.commit()
    async with harness.database.unit_of_work() as uow:
        [stored] = await refunds_repository.of_order(uow.session, order_id)
        assert await refunds_repository.failed_count(uow.session) >= 1
    assert (stored.status, stored.stripe_refund_id, stored.error) == (
        RefundStatus.FAILED,
        "re_later",
        "the card account is closed",
    )


async def failed_at_stripe(harness: Harness, order_id: str, refund_id: str, error: str) -> None:
    """Payments' word that Stripe refused the refund, handled by orders."""
    async with harness.database.unit_of_work() as uow:
        await settlement.settle_refund(uow, SettleRefund(refund_id, order_id, False, error=error))
        await uow.commit()


async def test_no_staff_refund_is_made_while_a_failed_one_is_unsettled(harness: Harness) -> None:
    """A refund of €25 fails at Stripe; a clerk refunds the €25 again while another pays the
    failed one back by hand: the customer got €50 back. The order now refuses staff refunds
    until the failed one is settled, and says how."""
    order_id, tickets = await paid_order(harness)
    made, _ = await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
    await failed_at_stripe(harness, order_id, made.refund_id, "card account closed")

    with pytest.raises(FailedRefundUnsettled) as refused:
        await request_refund(harness.orders, refund(order_id, amount=2500))
    assert made.refund_id in str(refused.value)
    assert "record it as paid back" in str(refused.value)
    async with harness.database.unit_of_work() as uow:
        assert len(await refunds_repository.of_order(uow.session, order_id)) == 1


async def test_a_cancelled_show_never_gives_back_a_failed_refunds_money_a_second_time(
    harness: Harness,
) -> None:
    """€25 of a €50 order failed at Stripe, owed by hand; then the show was cancelled. Its
    automatic refund counted that €25 as still to give back and returned €50, and the failed one
    was then paid back by hand as well: €75 for a €50 order. It now returns the other €25 and
    voids every ticket; the failed €25 stays owed by hand."""
    show = harness.inventory.performance_id = new_id("perf")
    order_id, tickets = await paid_order(harness)
    made, _ = await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
    await failed_at_stripe(harness, order_id, made.refund_id, "card account closed")
    async with harness.database.unit_of_work() as uow:
        await give_back_cancelled_performance(uow, GiveBackCancelledPerformance(show))
        await uow.commit()

    async with harness.database.unit_of_work() as uow:
        made_all = await refunds_repository.of_order(uow.session, order_id)
    assert sorted((r.amount, r.status) for r in made_all) == [
        (2500, RefundStatus.FAILED),
        (2500, RefundStatus.PENDING),
    ]
    order = await load(harness, order_id)
    assert order.status is OrderStatus.REFUNDED
    assert {t.status for t in order.tickets} == {TicketStatus.REFUNDED}


async def test_the_desk_refund_of_a_cancelled_show_gives_back_a_used_tickets_share(
    harness: Harness,
) -> None:
    """Cancelled once the doors had opened: the clerk's "everything left" kept the scanned
    ticket's €25 of a €50 desk sale, for a show that did not happen."""
    show = harness.inventory.performance_id = new_id("perf")
    order_id = await desk_sale(harness)
    used, _ = (await load(harness, order_id)).tickets
    async with harness.database.unit_of_work() as uow:
        assert await orders_repository.mark_used(uow.session, used.ticket_id, "scanner")
        await give_back_cancelled_performance(uow, GiveBackCancelledPerformance(show))
        await uow.commit()

    made, _ = await request_refund(harness.orders, refund(order_id))

    assert (made.amount, made.status) == (5000, RefundStatus.SUCCEEDED)
    assert (await load(harness, order_id)).status is OrderStatus.REFUNDED


async def test_a_failed_refund_paid_back_by_hand_counts_as_succeeded_once(
    harness: Harness,
) -> None:
    order_id, tickets = await paid_order(harness)
    made, _ = await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
    clerk = staff("ana")
    by_hand = SettleFailedRefund(clerk, order_id, made.refund_id, "bank transfer, 3 Dec")
    with pytest.raises(RefundNotFailed):  # still Stripe's to answer
        await settle_failed_refund(harness.orders, by_hand)
    failed = SettleRefund(made.refund_id, order_id, False, error="charge_disputed")
    async with harness.database.unit_of_work() as uow:
        await settlement.settle_refund(uow, failed)
        await uow.commit()
        failing = await refunds_repository.failed_count(uow.session)

    settled = await settle_failed_refund(harness.orders, by_hand)

    assert settled.status is RefundStatus.SUCCEEDED
    assert settled.error == "Stripe: charge_disputed; paid back by staff:ana: bank transfer, 3 Dec"
    async with harness.database.unit_of_work() as uow:
        assert await refunds_repository.failed_count(uow.session) == failing - 1
        [stored] = await refunds_repository.of_order(uow.session, order_id)
    assert stored.status is RefundStatus.SUCCEEDED
    await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[1:]))  # settled
    with pytest.raises(RefundNotFailed):  # a second press
        await settle_failed_refund(harness.orders, by_hand)
    with pytest.raises(RefundNotFound):
        await settle_failed_refund(
            harness.orders, SettleFailedRefund(clerk, order_id, "rfd_nope", "cash")
        )


async def test_a_failed_refund_paid_back_out_of_the_till_is_counted_in_that_clerks_till(
    harness: Harness,
) -> None:
    """A clerk gave a failed card refund back in cash from the drawer: "My till" did not know,
    and the drawer counted short by that money at the shift's end."""
    since = datetime.now(UTC) - timedelta(seconds=5)
    clerk, other = staff(f"till-{since.timestamp():.0f}"), staff(f"other-{since.timestamp():.0f}")
    paid_back = []
    for from_till in ("cash", None):  # the second by bank transfer: not the drawer's money
        order_id, tickets = await paid_order(harness)
        made, _ = await request_refund(harness.orders, refund(order_id, ticket_ids=tickets[:1]))
        await failed_at_stripe(harness, order_id, made.refund_id, "expired_card")
        command = SettleFailedRefund(clerk, order_id, made.refund_id, "handed back", from_till)
        paid_back.append(await settle_failed_refund(harness.orders, command))
    assert (paid_back[0].paid_back_from_till, paid_back[1].paid_back_from_till) == ("cash", None)

    until = datetime.now(UTC) + timedelta(seconds=5)
    async with harness.database.unit_of_work() as uow:
        mine = await sales_figures.till(uow.session, clerk.subject, since, until)
        theirs = await sales_figures.till(uow.session, other.subject, since, until)
    amount = paid_back[0].amount
    assert mine == [
        {"payment_method": "cash", "currency": "EUR"}
        | {"sales": 0, "taken": 0, "refunds": 1, "refunded": amount}
    ]
    assert theirs == []
