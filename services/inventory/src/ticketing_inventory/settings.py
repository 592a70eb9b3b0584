"""Settings of the inventory service (environment, prefix ``TICKETING_``)."""

from ticketing_runtime.settings import ServiceSettings


class InventorySettings(ServiceSettings):
    service_name: str = "inventory"
    http_port: int = 58081
