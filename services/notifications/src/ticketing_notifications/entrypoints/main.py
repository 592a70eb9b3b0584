"""The notifications process: the sending loop, consumers, HTTP and the outbox relay."""

from ticketing_notifications.adapters.smtp_sender import SmtpSender
from ticketing_notifications.entrypoints import handlers, http_notifications, problems
from ticketing_notifications.service_layer import reading
from ticketing_notifications.service_layer.container import Notifications
from ticketing_notifications.service_layer.sending import sending_loop
from ticketing_notifications.settings import NotificationsSettings
from ticketing_runtime.internal_http import ServiceClient
from ticketing_runtime.service import Service


def build_service(settings: NotificationsSettings | None = None) -> Service:
    settings = settings or NotificationsSettings()
    service = Service(settings, package="ticketing_notifications", title="Ticketing notifications")
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    notes = Notifications(
        database=service.database,
        orders=ServiceClient(settings, settings.orders_url),
        documents=ServiceClient(settings, settings.documents_url),
        inventory=ServiceClient(settings, settings.inventory_url),
        smtp=SmtpSender(
            settings.smtp_host,
            settings.smtp_port,
            timeout_s=settings.smtp_timeout_s,
            username=settings.smtp_username,
            password=password,
            starttls=settings.smtp_starttls,
        ),
        settings=settings,
    )
    service.serve(
        notes,
        routers=(http_notifications.router, http_notifications.internal, http_notifications.admin),
        problems=problems.install,
        handlers=handlers.register,
        loops=(lambda stop: sending_loop(notes, stop),),
        closes=(notes.orders.close, notes.documents.close, notes.inventory.close),
    )
    service.gauge(
        "ticketing_parked_emails",
        "E-mails given up on and not sent again since: customers not told (healthy: 0)",
        lambda: reading.parked_count(notes),
    )
    return service


def main() -> None:
    build_service().run()
