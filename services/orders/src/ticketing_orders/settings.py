"""Settings of the orders service (environment, prefix ``TICKETING_``)."""

from pydantic import Field, SecretStr, field_validator

from ticketing_runtime.settings import (
    Port,
    ServiceSettings,
    ed25519_seed,
    raw_ed25519_public_keys,
    secret_of_at_least,
)

# DEV DEFAULT: an Ed25519 seed for local runs only; production sets TICKETING_TICKET_SIGNING_KEY
DEV_TICKET_SIGNING_KEY = "ZGV2LW9ubHktdGlja2V0LXNpZ25pbmcta2V5LTMyYnk="
# DEV DEFAULT: derives order access tokens; production sets TICKETING_ORDER_TOKEN_SECRET
DEV_ORDER_TOKEN_SECRET = "dev-only-order-token-secret-not-for-production"


class OrdersSettings(ServiceSettings):
    service_name: str = "orders"
    http_port: Port = 28082
    inventory_url: str = "http://127.0.0.1:28081"
    payments_url: str = "http://127.0.0.1:28083"
    documents_url: str = "http://127.0.0.1:28084"
    notifications_url: str = "http://127.0.0.1:28085"
    payment_window_s: int = Field(900, ge=1, description="how long an order stays payable")
    payment_grace_s: int = Field(
        120,
        ge=0,
        description="past its deadline, an order (and its pinned seats) waits this long for a"
        " payment made at the last moment to be heard before it expires",
    )
    payments_timeout_s: float = Field(
        6.0, gt=0, description="order placement waits this long for the payment intent"
    )
    ticket_signing_key: SecretStr = Field(
        SecretStr(DEV_TICKET_SIGNING_KEY),
        description="base64 of the 32-byte Ed25519 seed that signs ticket secrets",
    )
    ticket_retired_public_keys: list[str] = Field(
        default_factory=list,
        description="base64 Ed25519 public keys of signing keys a rotation retired: the "
        "tickets they signed still scan (drop one once its performances are over)",
    )
    order_token_secret: SecretStr = Field(
        SecretStr(DEV_ORDER_TOKEN_SECRET),
        description="HMAC key of order access tokens (changing it invalidates every order link)",
    )
    order_links_interval_s: float = Field(
        300.0,
        ge=0,
        description="an address asking for links to its orders is mailed at most once this often",
    )
    order_links_most: int = Field(
        20, ge=1, description="the e-mail of links lists this many orders"
    )
    order_expiry_interval_s: float = Field(1.0, ge=0, description="0 turns the expiry loop off")
    personal_data_retention_days: int = Field(
        0,
        ge=0,
        description="erase each order's customer (name, address) this many days after its"
        " performance began; 0 keeps them (erasure on request only)",
    )
    personal_data_retention_interval_s: float = Field(
        3600.0, gt=0, description="how often the retention loop looks for customers to erase"
    )
    abandoned_placement_s: float = Field(
        120.0,
        gt=0,
        description="a placement unfinished this long (its process died) frees its key and coupon",
    )
    placement_lease_s: float = Field(
        2.0,
        ge=0.5,
        description="a placement renews its lease while its request lives; a retry of the same"
        " Idempotency-Key takes over a placement whose lease ran out (its process died)",
    )
    placement_wait_s: float = Field(
        4.0,
        gt=0,
        description="a request racing another with the same Idempotency-Key waits this long,"
        " then answers 409 order-in-progress to retry (below the edge's upstream timeout, so"
        " the buyer hears that, not a 504)",
    )

    @field_validator("ticket_retired_public_keys")
    @classmethod
    def _raw_ed25519_keys(cls, keys: list[str]) -> list[str]:
        return raw_ed25519_public_keys(keys)

    @field_validator("ticket_signing_key")
    @classmethod
    def _a_seed(cls, secret: SecretStr) -> SecretStr:
        return ed25519_seed(secret)

    @field_validator("order_token_secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr) -> SecretStr:
        return secret_of_at_least(16, secret)
