"""The notifications process: HTTP, consumers and outbox relay."""

from ticketing_contracts import events
from ticketing_notifications.settings import NotificationsSettings
from ticketing_runtime.service import Service

EMITS = (
    events.NotificationSentV1,
    events.NotificationFailedV1,
)


def build_service(settings: NotificationsSettings | None = None) -> Service:
    return Service(
        settings or NotificationsSettings(),
        package="ticketing_notifications",
        title="Ticketing notifications",
        emits=EMITS,
    )


def main() -> None:
    build_service().run()
