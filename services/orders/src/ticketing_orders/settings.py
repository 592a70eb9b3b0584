"""Settings of the orders service (environment, prefix ``TICKETING_``)."""

from ticketing_runtime.settings import ServiceSettings


class OrdersSettings(ServiceSettings):
    service_name: str = "orders"
    http_port: int = 58082
