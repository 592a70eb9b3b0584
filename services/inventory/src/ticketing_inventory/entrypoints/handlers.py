"""Events inventory consumes: sales on payment, releases when orders die, returns on refund."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError

from ticketing_contracts import (
    HeldLine,
    HoldReleasedV1,
    InventoryCommitRejectedV1,
    InventoryCommittedV1,
    InventoryReleasedV1,
    OrderCancelledV1,
    OrderExpiredV1,
    OrderPaidV1,
    OrderRefundedV1,
)
from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.domain.holds import HoldLine, Refused
from ticketing_inventory.entrypoints.deps import Inventory
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer, inv: Inventory) -> None:
    @consumer.handles(OrderPaidV1)
    async def on_order_paid(delivery: Delivery[OrderPaidV1]) -> None:
        await commit_sale(inv, delivery)

    @consumer.handles(OrderExpiredV1)
    async def on_order_expired(delivery: Delivery[OrderExpiredV1]) -> None:
        await release_for_order(inv, delivery, "order_expired")

    @consumer.handles(OrderCancelledV1)
    async def on_order_cancelled(delivery: Delivery[OrderCancelledV1]) -> None:
        await release_for_order(inv, delivery, "order_cancelled")

    @consumer.handles(OrderRefundedV1)
    async def on_order_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        await return_refunded(inv, delivery)


def _lines(lines: Sequence[HoldLine]) -> list[HeldLine]:
    """Domain lines as the event contract carries them."""
    return [
        HeldLine(tier_id=x.tier_id, quantity=x.quantity, seat_ids=list(x.seat_ids)) for x in lines
    ]


async def commit_sale(inv: Inventory, delivery: Delivery[OrderPaidV1]) -> None:
    """Redis admits, Postgres has the final word; a refused sale is announced, never hidden."""
    paid, uow = delivery.event, delivery.uow
    if await sales.order_sold(uow.session, paid.order_id):
        return  # the same order paid again under another message id: already sold
    decided = await inv.holds.commit(paid.hold_id, paid.order_id)
    if isinstance(decided, Refused):
        await _reject(delivery, decided.detail)
        return
    try:
        async with uow.session.begin_nested():
            await sales.record_sale(
                uow.session,
                order_id=paid.order_id,
                hold_id=paid.hold_id,
                performance_id=paid.performance_id,
                tickets=paid.tickets,
            )
    except IntegrityError as exc:
        # Redis disagreed with the truth (e.g. lost and not rebuilt): undo and refuse.
        await inv.holds.return_sold(paid.performance_id, paid.order_id, list(decided.lines))
        await _reject(delivery, f"the database refused the sale: {exc.orig}")
        return
    await sales.set_pin_status(uow.session, paid.hold_id, "committed")
    await uow.publish(
        InventoryCommittedV1(
            order_id=paid.order_id,
            hold_id=paid.hold_id,
            performance_id=paid.performance_id,
            lines=_lines(decided.lines),
        )
    )


async def _reject(delivery: Delivery[OrderPaidV1], reason: str) -> None:
    paid = delivery.event
    await delivery.uow.publish(
        InventoryCommitRejectedV1(
            order_id=paid.order_id,
            hold_id=paid.hold_id,
            performance_id=paid.performance_id,
            reason=reason,
        )
    )


async def release_for_order(
    inv: Inventory, delivery: Delivery[OrderExpiredV1] | Delivery[OrderCancelledV1], reason: str
) -> None:
    event = delivery.event
    released = await inv.holds.release(event.hold_id, None)
    await sales.set_pin_status(delivery.uow.session, event.hold_id, "released")
    if not isinstance(released, Refused):
        await delivery.uow.publish(
            HoldReleasedV1(
                hold_id=event.hold_id,
                performance_id=event.performance_id,
                reason=reason,  # type: ignore[arg-type]
            )
        )


async def return_refunded(inv: Inventory, delivery: Delivery[OrderRefundedV1]) -> None:
    refund, session = delivery.event, delivery.uow.session
    performance = await catalogue.get_performance(session, refund.performance_id)
    if performance is None:
        return
    event = await catalogue.get_event(session, performance["event_id"])
    if event is None or not event["refund_returns_capacity"]:
        return
    returned: list[HoldLine] = await sales.return_tickets(session, refund.voided_ticket_ids)
    if not returned:
        return
    await inv.holds.return_sold(refund.performance_id, refund.order_id, returned)
    await delivery.uow.publish(
        InventoryReleasedV1(
            order_id=refund.order_id,
            performance_id=refund.performance_id,
            lines=_lines(returned),
            reason="refund",
        )
    )
