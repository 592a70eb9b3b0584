"""Settings of the gateway (environment, prefix ``TICKETING_``)."""

from pydantic import SecretStr

from ticketing_runtime.settings import ServiceSettings

BACKENDS = ("inventory", "orders", "payments", "documents", "notifications")


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    http_port: int = 58086
    token_secret: SecretStr = SecretStr("public-token-dev-secret-change-me")  # DEV DEFAULT
    session_ttl_s: int = 24 * 3600
    upstream_timeout_s: float = 10.0
    upstream_connections: int = 32
    max_body_bytes: int = 8 * 1024 * 1024
    inventory_url: str = "http://127.0.0.1:58081"
    orders_url: str = "http://127.0.0.1:58082"
    payments_url: str = "http://127.0.0.1:58083"
    documents_url: str = "http://127.0.0.1:58084"
    notifications_url: str = "http://127.0.0.1:58085"

    def backend_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")
