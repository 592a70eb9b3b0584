"""The payments process: HTTP, consumers and outbox relay."""

from ticketing_contracts import events
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.service import Service

EMITS = (
    events.PaymentIntentCreatedV1,
    events.PaymentSucceededV1,
    events.PaymentFailedV1,
    events.PaymentRefundedV1,
)


def build_service(settings: PaymentsSettings | None = None) -> Service:
    return Service(
        settings or PaymentsSettings(),
        package="ticketing_payments",
        title="Ticketing payments",
        emits=EMITS,
    )


def main() -> None:
    build_service().run()
