"""The payments process: intents, Stripe webhooks, consumers, loops and the outbox relay."""

from ticketing_contracts import events
from ticketing_payments.adapters.stripe_api import StripeApi
from ticketing_payments.entrypoints import (
    handlers,
    http_internal,
    http_reconciliation,
    http_webhooks,
    problems,
)
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.reconciliation import reconciliation_loop, stripe_retry_loop
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.service import Service

EMITS = (
    events.PaymentIntentCreatedV1,
    events.PaymentSucceededV1,
    events.PaymentFailedV1,
    events.PaymentRefundedV1,
    events.PaymentRefundFailedV1,
)


def build_service(settings: PaymentsSettings | None = None) -> Service:
    settings = settings or PaymentsSettings()
    service = Service(
        settings, package="ticketing_payments", title="Ticketing payments", emits=EMITS
    )
    pay = Payments(database=service.database, stripe=StripeApi(settings), settings=settings)
    service.http.state.payments = pay
    service.http.include_router(http_internal.router)
    service.http.include_router(http_webhooks.router)
    service.http.include_router(http_reconciliation.router)
    problems.install(service.http)
    handlers.register(service.events, pay)
    service.background.append(lambda stop: stripe_retry_loop(pay, stop))
    if settings.reconcile_interval_s > 0:
        service.background.append(lambda stop: reconciliation_loop(pay, stop))
    return service


def main() -> None:
    build_service().run()
