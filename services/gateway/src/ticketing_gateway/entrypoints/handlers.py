"""Events the gateway consumes: answers to platform probes, staff actions for the audit log."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from ticketing_contracts import AuditActionRecordedV1, PlatformProbeAnsweredV1
from ticketing_gateway.adapters.tables import audit_log, probe_answers
from ticketing_runtime.consumer import Delivery, EventConsumer


def register(consumer: EventConsumer) -> None:
    @consumer.handles(PlatformProbeAnsweredV1)
    async def on_probe_answered(delivery: Delivery[PlatformProbeAnsweredV1]) -> None:
        answer = delivery.event
        await delivery.uow.session.execute(
            insert(probe_answers)
            .values(
                probe_id=answer.probe_id, service=answer.service, answered_at=answer.answered_at
            )
            .on_conflict_do_nothing()
        )

    @consumer.handles(AuditActionRecordedV1)
    async def on_staff_action(delivery: Delivery[AuditActionRecordedV1]) -> None:
        entry = delivery.event
        await delivery.uow.session.execute(
            insert(audit_log)
            .values(
                **entry.model_dump(mode="python"),
                correlation_id=delivery.envelope.correlation_id,
            )
            .on_conflict_do_nothing()
        )
