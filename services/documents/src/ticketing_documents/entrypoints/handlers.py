"""Events documents consumes: a paid order gets its tickets rendered (by the render loop), and
a refunded one again, without its refunded tickets."""

from __future__ import annotations

from ticketing_contracts import OrderPaidV1, OrderRefundedV1
from ticketing_documents.service_layer.rendering import (
    RenderPaidOrder,
    RenderRefundedOrder,
    request_first_render,
    request_render_after_refund,
)
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer) -> None:
    @consumer.handles(OrderPaidV1)
    async def on_order_paid(delivery: Delivery[OrderPaidV1]) -> None:
        await request_first_render(delivery.uow, RenderPaidOrder(delivery.event.order_id))

    @consumer.handles(OrderRefundedV1)
    async def on_order_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        if delivery.event.voided_ticket_ids:  # an amount alone leaves every ticket valid
            command = RenderRefundedOrder(delivery.event.order_id)
            await request_render_after_refund(delivery.uow, command)
