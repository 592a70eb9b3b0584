"""The payments process: intents, Stripe webhooks, consumers, loops and the outbox relay."""

from ticketing_payments.adapters.stripe_api import StripeApi
from ticketing_payments.entrypoints import (
    handlers,
    http_internal,
    http_reconciliation,
    http_webhooks,
    problems,
)
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.reconciliation import (
    reconciliation_loop,
    refunds_pending_at_stripe,
    stripe_retry_loop,
)
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.service import Service


def build_service(settings: PaymentsSettings | None = None) -> Service:
    settings = settings or PaymentsSettings()
    service = Service(settings, package="ticketing_payments", title="Ticketing payments")
    pay = Payments(database=service.database, stripe=StripeApi(settings), settings=settings)
    service.serve(
        pay,
        routers=(http_internal.router, http_webhooks.router, http_reconciliation.router),
        problems=problems.install,
        handlers=lambda events: handlers.register(events, pay),
        loops=(lambda stop: stripe_retry_loop(pay, stop),),
    )
    service.gauge(
        "ticketing_refunds_pending_at_stripe",
        "Refunds Stripe accepted as pending and has not settled yet (settled within days)",
        lambda: refunds_pending_at_stripe(pay),
    )
    if settings.reconcile_interval_s > 0:
        service.background.append(lambda stop: reconciliation_loop(pay, stop))
    return service


def main() -> None:
    build_service().run()
