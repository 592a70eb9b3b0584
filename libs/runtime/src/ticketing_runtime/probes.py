"""Every service answers platform probes: proof that its consumer, inbox, outbox and relay work."""

from __future__ import annotations

from datetime import UTC, datetime

from ticketing_contracts import PlatformProbeAnsweredV1, PlatformProbeRequestedV1
from ticketing_runtime.consumer import Delivery, EventConsumer


def answer_probes(consumer: EventConsumer, service: str) -> None:
    @consumer.handles(PlatformProbeRequestedV1)
    async def on_probe(delivery: Delivery[PlatformProbeRequestedV1]) -> None:
        await delivery.uow.publish(
            PlatformProbeAnsweredV1(
                probe_id=delivery.event.probe_id, service=service, answered_at=datetime.now(UTC)
            )
        )
