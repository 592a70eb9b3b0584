"""Events documents consumes: a paid order gets its tickets rendered (by the render loop)."""

from __future__ import annotations

from ticketing_contracts import OrderPaidV1
from ticketing_documents.service_layer.rendering import RenderPaidOrder, request_first_render
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer) -> None:
    @consumer.handles(OrderPaidV1)
    async def on_order_paid(delivery: Delivery[OrderPaidV1]) -> None:
        await request_first_render(delivery.uow, RenderPaidOrder(delivery.event.order_id))
