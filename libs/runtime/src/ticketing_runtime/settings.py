"""Configuration from the environment (prefix ``TICKETING_``). Every variable is in the README."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# DEV DEFAULT: the public half of the gateway's dev signing key (TICKETING_TOKEN_SIGNING_KEY)
DEV_TOKEN_PUBLIC_KEY = "UKIQCegQp83Qca1hHnSYyP8nPqmvFV6q3g1KWkXpwaI="
#: a TCP port (a service's subclass writes ``http_port: Port = 28082``, keeping the bounds)
Port = Annotated[int, Field(ge=1, le=65535)]
DEV_PASSWORD_SUFFIX = (
    "_dev_password"  # DEV DEFAULT: real deployments set TICKETING_DATABASE_PASSWORD
)


class ServiceSettings(BaseSettings):
    """Settings shared by every service; a service may subclass to add its own."""

    model_config = SettingsConfigDict(env_prefix="TICKETING_", extra="ignore")

    service_name: str = Field(
        description="which service this process is, and so its schema and database user (each"
        " service's settings name it; the environment overrides it only to aim a process at"
        " another schema, as tests do)"
    )
    http_host: str = "127.0.0.1"
    http_port: Port = 8000
    http_workers: int = Field(
        1, ge=1, le=32, description="processes serving HTTP, events and loops (replicas in one)"
    )

    database_host: str = "127.0.0.1"
    database_port: Port = 28432
    database_name: str = "ticketing"
    database_user: str | None = Field(None, description="defaults to the service name")
    database_password: SecretStr | None = Field(
        None, description="unset: '<service>_dev_password' (dev only); never empty"
    )
    database_pool_size: int = Field(10, ge=1, le=1000)

    amqp_url: SecretStr = SecretStr(
        "amqp://ticketing:ticketing_dev_password@127.0.0.1:28672/ticketing"  # DEV DEFAULT
    )
    redis_url: str = "redis://127.0.0.1:28379/0"
    consumer_prefetch: int = Field(32, ge=1, le=10_000)

    outbox_poll_interval_s: float = Field(1.0, gt=0, le=60)
    outbox_batch_size: int = Field(200, ge=1, le=10_000)
    outbox_retention_s: float = Field(7 * 24 * 3600, ge=60)
    inbox_retention_s: float = Field(
        30 * 24 * 3600,
        ge=3600,
        description="how long a handled message's id is kept: a redelivery later than that"
        " would be handled twice",
    )
    retry_delays_ms: list[int] = Field(
        default_factory=lambda: [1_000, 5_000, 30_000, 300_000], min_length=1
    )

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
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    otel_spans_file: str | None = Field(
        None, description="dev/test: append finished spans as JSON lines to this file"
    )
    migrate_on_start: bool = Field(
        True, description="run the service's migrations at start (off when a k8s Job does it)"
    )
    shutdown_grace_s: float = Field(
        20.0,
        ge=1,
        le=3600,
        description="the whole shutdown's budget from SIGTERM (requests, consumers, loops)",
    )
    chaos: str | None = Field(
        None, description="test-only fault injection point, e.g. 'outbox_relay.after_publish'"
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, level: object) -> object:
        return level.upper() if isinstance(level, str) else level

    @field_validator("token_public_keys")
    @classmethod
    def _token_keys(cls, keys: list[str]) -> list[str]:
        return raw_ed25519_public_keys(keys)

    @field_validator("retry_delays_ms")
    @classmethod
    def _positive_delays(cls, delays: list[int]) -> list[int]:
        if any(delay <= 0 for delay in delays):
            raise ValueError(f"every retry delay is a positive number of ms: {delays}")
        return delays

    @field_validator("database_password", "internal_token_secret", "amqp_url")
    @classmethod
    def _not_empty(cls, secret: SecretStr | None) -> SecretStr | None:
        return non_empty_secret(secret)

    @model_validator(mode="after")
    def _retry_caps_not_below_their_bases(self) -> Self:
        """``*_retry_cap_s`` below its ``*_retry_base_s``: every retry after the first came
        sooner than the first, hammering whatever was down."""
        for base_name in type(self).model_fields:
            if not base_name.endswith("_retry_base_s"):
                continue
            cap_name = base_name.removesuffix("base_s") + "cap_s"
            base, cap = getattr(self, base_name), getattr(self, cap_name)
            if cap < base:
                raise ValueError(
                    f"TICKETING_{cap_name.upper()} ({cap}) is below"
                    f" TICKETING_{base_name.upper()} ({base})"
                )
        return self

    @field_validator("internal_token_secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr) -> SecretStr:
        return secret_of_at_least(16, secret)

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


def raw_ed25519_public_keys(keys: list[str]) -> list[str]:
    """``keys`` if each is the base64 of a raw 32-byte Ed25519 public key; else the first that
    is not, named (a placeholder left in a ConfigMap answered 500 to every staff request)."""
    for key in keys:
        try:
            raw = base64.b64decode(key, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"not base64: {key!r}") from exc
        if len(raw) != 32:
            raise ValueError(f"not a raw 32-byte Ed25519 public key: {key!r}")
    return keys


def non_empty_secret(secret: SecretStr | None) -> SecretStr | None:
    """A secret set to nothing (an empty value from a secret store) is refused, not taken as
    unset: it silently fell back to the dev default."""
    if secret is not None and not secret.get_secret_value():
        raise ValueError("set but empty: give the value, or unset the variable")
    return secret


def ed25519_seed(secret: SecretStr) -> SecretStr:
    """``secret`` if it is the base64 of a 32-byte Ed25519 seed (refused here, it failed later,
    while the service was built, without naming the variable)."""
    seed = secret.get_secret_value().strip()  # a secret file's newline was always taken
    try:
        raw = base64.b64decode(seed, validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64 (give the base64 of a 32-byte Ed25519 seed)") from exc
    if len(raw) != 32:
        raise ValueError(f"{len(raw)} bytes, not a 32-byte Ed25519 seed")
    return SecretStr(seed)


def secret_of_at_least(length: int, secret: SecretStr) -> SecretStr:
    """An HMAC key shorter than ``length`` characters is refused (an empty one let anyone
    compute what it signs)."""
    if len(secret.get_secret_value()) < length:
        raise ValueError(f"too short: at least {length} characters")
    return secret
