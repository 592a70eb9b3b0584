"""Settings of the gateway (environment, prefix ``TICKETING_``)."""

from pydantic import Field, SecretStr, field_validator

from ticketing_runtime.settings import Port, ServiceSettings, ed25519_seed

BACKENDS = ("inventory", "orders", "payments", "documents", "notifications")


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    http_port: Port = 28086
    # DEV DEFAULT: base64 Ed25519 seed; its public half is the default TICKETING_TOKEN_PUBLIC_KEYS
    token_signing_key: SecretStr = SecretStr("I9qyltH2VH9jCOiptsOXgdq5nlNYm6w9+k3BU/Yqri8=")
    session_ttl_s: int = Field(24 * 3600, ge=60)
    inventory_url: str = "http://127.0.0.1:28081"
    orders_url: str = "http://127.0.0.1:28082"
    payments_url: str = "http://127.0.0.1:28083"
    documents_url: str = "http://127.0.0.1:28084"
    notifications_url: str = "http://127.0.0.1:28085"

    @field_validator("token_signing_key")
    @classmethod
    def _a_seed(cls, secret: SecretStr) -> SecretStr:
        return ed25519_seed(secret)

    def backend_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")
