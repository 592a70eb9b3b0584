"""The inventory process: HTTP, consumers and outbox relay."""

from ticketing_contracts import events
from ticketing_inventory.settings import InventorySettings
from ticketing_runtime.service import Service

EMITS = (
    events.HoldPlacedV1,
    events.HoldReleasedV1,
    events.HoldExpiredV1,
    events.InventoryCommittedV1,
    events.InventoryCommitRejectedV1,
    events.InventoryReleasedV1,
    events.PerformancePublishedV1,
    events.PerformanceCancelledV1,
)


def build_service(settings: InventorySettings | None = None) -> Service:
    return Service(
        settings or InventorySettings(),
        package="ticketing_inventory",
        title="Ticketing inventory",
        emits=EMITS,
    )


def main() -> None:
    build_service().run()
