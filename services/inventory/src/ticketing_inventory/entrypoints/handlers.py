"""Events inventory consumes, translated into the sales use cases (``service_layer/sales.py``)."""

from __future__ import annotations

from ticketing_contracts import OrderCancelledV1, OrderExpiredV1, OrderPaidV1, OrderRefundedV1
from ticketing_inventory.service_layer import sales
from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer, inv: Inventory) -> None:
    @consumer.handles(OrderPaidV1)
    async def on_order_paid(delivery: Delivery[OrderPaidV1]) -> None:
        paid = delivery.event
        command = sales.CommitSale(paid.order_id, paid.hold_id, paid.performance_id, paid.tickets)
        await sales.commit_sale(inv.holds, delivery.uow, command)

    @consumer.handles(OrderExpiredV1)
    async def on_order_expired(delivery: Delivery[OrderExpiredV1]) -> None:
        event = delivery.event
        command = sales.ReleaseForOrder(event.hold_id, event.performance_id, "order_expired")
        await sales.release_for_order(inv.holds, delivery.uow, command)

    @consumer.handles(OrderCancelledV1)
    async def on_order_cancelled(delivery: Delivery[OrderCancelledV1]) -> None:
        event = delivery.event
        command = sales.ReleaseForOrder(event.hold_id, event.performance_id, "order_cancelled")
        await sales.release_for_order(inv.holds, delivery.uow, command)

    @consumer.handles(OrderRefundedV1)
    async def on_order_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        refund = delivery.event
        command = sales.ReturnRefunded(
            refund.order_id,
            refund.performance_id,
            refund.voided_ticket_ids,
            refund.refund_id,
            refund.cause,
        )
        await sales.return_refunded(inv.holds, delivery.uow, command)
