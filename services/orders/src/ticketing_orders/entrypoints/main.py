"""The orders process: HTTP, consumers and outbox relay."""

from ticketing_contracts import events
from ticketing_orders.settings import OrdersSettings
from ticketing_runtime.service import Service

EMITS = (
    events.OrderPlacedV1,
    events.OrderPaidV1,
    events.OrderExpiredV1,
    events.OrderCancelledV1,
    events.OrderRefundedV1,
    events.TicketCheckedInV1,
)


def build_service(settings: OrdersSettings | None = None) -> Service:
    return Service(
        settings or OrdersSettings(),
        package="ticketing_orders",
        title="Ticketing orders",
        emits=EMITS,
    )


def main() -> None:
    build_service().run()
