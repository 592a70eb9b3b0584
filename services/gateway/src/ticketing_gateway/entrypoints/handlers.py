"""Events the gateway consumes: answers to platform probes, staff actions for the audit log, and
erased customers, whom the audit log stops quoting."""

from __future__ import annotations

from ticketing_contracts import (
    AuditActionRecordedV1,
    OrderCustomerErasedV1,
    PlatformProbeAnsweredV1,
)
from ticketing_gateway.service_layer import audit_log, probes
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer) -> None:
    @consumer.handles(PlatformProbeAnsweredV1)
    async def on_probe_answered(delivery: Delivery[PlatformProbeAnsweredV1]) -> None:
        answer = delivery.event
        await probes.record_answer(
            delivery.uow, probes.ProbeAnswer(answer.probe_id, answer.service, answer.answered_at)
        )

    @consumer.handles(AuditActionRecordedV1)
    async def on_staff_action(delivery: Delivery[AuditActionRecordedV1]) -> None:
        await audit_log.record(delivery.uow, delivery.event, delivery.envelope.correlation_id)

    @consumer.handles(OrderCustomerErasedV1)
    async def on_customer_erased(delivery: Delivery[OrderCustomerErasedV1]) -> None:
        await audit_log.forget_customer(delivery.uow, delivery.event.order_id)
