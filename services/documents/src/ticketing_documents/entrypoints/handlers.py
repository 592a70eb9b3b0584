"""Events documents consumes: a paid order gets its tickets rendered (by the render loop; a late
payment's once inventory sold its seats), a refunded one again, without its refunded tickets,
and an erased customer's PDFs are deleted."""

from __future__ import annotations

from ticketing_contracts import (
    InventoryCommittedV1,
    OrderCustomerErasedV1,
    OrderPaidV1,
    OrderRefundedV1,
)
from ticketing_documents.service_layer.container import Documents
from ticketing_documents.service_layer.personal_data import ForgetCustomer, forget_customer
from ticketing_documents.service_layer.rendering import (
    RenderPaidOrder,
    RenderRefundedOrder,
    renders_on_payment,
    request_first_render,
    request_render_after_refund,
)
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer, docs: Documents) -> None:
    @consumer.handles(OrderPaidV1)
    async def on_order_paid(delivery: Delivery[OrderPaidV1]) -> None:
        if renders_on_payment(delivery.event):
            await request_first_render(delivery.uow, RenderPaidOrder(delivery.event.order_id))

    @consumer.handles(InventoryCommittedV1)
    async def on_sale_committed(delivery: Delivery[InventoryCommittedV1]) -> None:
        await request_first_render(delivery.uow, RenderPaidOrder(delivery.event.order_id))

    @consumer.handles(OrderRefundedV1)
    async def on_order_refunded(delivery: Delivery[OrderRefundedV1]) -> None:
        if delivery.event.voided_ticket_ids:  # an amount alone leaves every ticket valid
            command = RenderRefundedOrder(delivery.event.order_id)
            await request_render_after_refund(delivery.uow, command)

    @consumer.handles(OrderCustomerErasedV1)
    async def on_customer_erased(delivery: Delivery[OrderCustomerErasedV1]) -> None:
        await forget_customer(docs, delivery.uow, ForgetCustomer(delivery.event.order_id))
