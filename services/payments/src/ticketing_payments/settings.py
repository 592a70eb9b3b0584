"""Settings of the payments service (environment, prefix ``TICKETING_``)."""

from ticketing_runtime.settings import ServiceSettings


class PaymentsSettings(ServiceSettings):
    service_name: str = "payments"
    http_port: int = 58083
