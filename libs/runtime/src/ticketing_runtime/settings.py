"""Configuration from the environment (prefix ``TICKETING_``). Every variable is in the README."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# DEV DEFAULT: the public half of the gateway's dev signing key (TICKETING_TOKEN_SIGNING_KEY)
DEV_TOKEN_PUBLIC_KEY = "UKIQCegQp83Qca1hHnSYyP8nPqmvFV6q3g1KWkXpwaI="
DEV_PASSWORD_SUFFIX = (
    "_dev_password"  # DEV DEFAULT: real deployments set TICKETING_DATABASE_PASSWORD
)


class ServiceSettings(BaseSettings):
    """Settings shared by every service; a service may subclass to add its own."""

    model_config = SettingsConfigDict(env_prefix="TICKETING_", extra="ignore")

    service_name: str = Field(description="which service this process is (set by its entry point)")
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    http_workers: int = Field(
        1, ge=1, le=32, description="processes serving HTTP, events and loops (replicas in one)"
    )

    database_host: str = "127.0.0.1"
    database_port: int = 28432
    database_name: str = "ticketing"
    database_user: str | None = Field(None, description="defaults to the service name")
    database_password: SecretStr | None = Field(
        None, description="defaults to '<service>_dev_password' (dev only)"
    )
    database_pool_size: int = 10

    amqp_url: SecretStr = SecretStr(
        "amqp://ticketing:ticketing_dev_password@127.0.0.1:28672/ticketing"  # DEV DEFAULT
    )
    redis_url: str = "redis://127.0.0.1:28379/0"
    consumer_prefetch: int = 32

    outbox_poll_interval_s: float = 1.0
    outbox_batch_size: int = 200
    outbox_retention_s: float = 7 * 24 * 3600
    inbox_retention_s: float = 30 * 24 * 3600
    retry_delays_ms: list[int] = Field(default_factory=lambda: [1_000, 5_000, 30_000, 300_000])

    token_public_keys: list[str] = Field(
        default_factory=lambda: [DEV_TOKEN_PUBLIC_KEY],
        min_length=1,
        description="base64 Ed25519 public keys that verify bearer tokens (several: rotation)",
    )
    gateway_url: str = Field(
        "http://127.0.0.1:28086", description="where every service reads the withdrawn tokens"
    )
    withdrawn_tokens_poll_s: float = Field(
        5.0, gt=0, le=300, description="how often; a withdrawn token works until the next read"
    )
    withdrawn_tokens_startup_s: float = Field(
        10.0,
        ge=0,
        le=120,
        description="how long a starting process waits for that list before it serves anyway",
    )
    internal_token_secret: SecretStr = SecretStr(
        "internal-identity-dev-secret-change-me"
    )  # DEV DEFAULT
    log_level: str = "INFO"
    otel_spans_file: str | None = Field(
        None, description="dev/test: append finished spans as JSON lines to this file"
    )
    migrate_on_start: bool = Field(
        True, description="run the service's migrations at start (off when a k8s Job does it)"
    )
    shutdown_grace_s: float = Field(
        20.0,
        description="the whole shutdown's budget from SIGTERM (requests, consumers, loops)",
    )
    chaos: str | None = Field(
        None, description="test-only fault injection point, e.g. 'outbox_relay.after_publish'"
    )

    @property
    def database_schema(self) -> str:
        return self.service_name

    @property
    def database_url(self) -> str:
        user = self.database_user or self.service_name
        password = (
            self.database_password.get_secret_value()
            if self.database_password
            else f"{self.service_name}{DEV_PASSWORD_SUFFIX}"
        )
        return (
            f"postgresql+asyncpg://{user}:{password}"
            f"@{self.database_host}:{self.database_port}/{self.database_name}"
        )

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays_ms) + 1
