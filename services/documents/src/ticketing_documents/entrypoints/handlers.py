"""Events documents consumes: a paid order gets its tickets rendered (by the render loop)."""

from __future__ import annotations

from ticketing_contracts import OrderPaidV1
from ticketing_documents.adapters import documents_repository as repo
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer) -> None:
    @consumer.handles(OrderPaidV1)
    async def on_order_paid(delivery: Delivery[OrderPaidV1]) -> None:
        """Only a job here: the checkout never waits for a PDF."""
        await repo.request_render(delivery.uow.session, delivery.event.order_id, again=False)
