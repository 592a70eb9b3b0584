"""The orders process: orders, tickets and check-in over HTTP, consumers, expiry, outbox relay."""

from ticketing_orders.domain.tickets import public_key_of, signing_key
from ticketing_orders.entrypoints import (
    handlers,
    http_box_office,
    http_checkin,
    http_coupons,
    http_door,
    http_internal,
    http_order_links,
    http_orders,
    http_personal_data,
    http_refunds,
    http_sales,
    http_staff_orders,
    problems,
)
from ticketing_orders.entrypoints.views import order_document
from ticketing_orders.service_layer import reading
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.service_layer.expiry import expiry_loop
from ticketing_orders.service_layer.personal_data import retention_loop
from ticketing_orders.settings import OrdersSettings
from ticketing_runtime.internal_http import ServiceClient
from ticketing_runtime.service import Service


def build_service(settings: OrdersSettings | None = None) -> Service:
    settings = settings or OrdersSettings()
    service = Service(settings, package="ticketing_orders", title="Ticketing orders")
    orders = Orders(
        database=service.database,
        inventory=ServiceClient(settings, settings.inventory_url),
        payments=ServiceClient(settings, settings.payments_url),
        documents=ServiceClient(settings, settings.documents_url),
        notifications=ServiceClient(settings, settings.notifications_url),
        settings=settings,
        ticket_key=signing_key(settings.ticket_signing_key.get_secret_value()),
        present=order_document,
        retired_ticket_keys=tuple(public_key_of(k) for k in settings.ticket_retired_public_keys),
    )
    service.serve(
        orders,
        routers=(
            # before http_orders: their fixed paths would otherwise read as an order id
            http_staff_orders.router,
            http_box_office.router,
            http_sales.router,
            http_orders.router,
            http_order_links.router,
            http_refunds.router,
            http_internal.router,
            http_coupons.router,
            http_checkin.router,
            http_door.router,
            http_personal_data.router,
        ),
        problems=problems.install,
        handlers=lambda events: handlers.register(events, orders),
        closes=(orders.close,),
    )
    service.gauge(
        "ticketing_failed_refunds",
        "Refunds Stripe refused: money owed back that staff must settle (healthy: 0)",
        lambda: reading.failed_refund_count(orders),
    )
    if settings.order_expiry_interval_s > 0:
        service.background.append(lambda stop: expiry_loop(orders, stop))
    if settings.personal_data_retention_days > 0:
        service.background.append(lambda stop: retention_loop(orders, stop))
    return service


def main() -> None:
    build_service().run()
