"""Settings of the notifications service (environment, prefix ``TICKETING_``)."""

from ticketing_runtime.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    http_port: int = 58085
