"""Settings of the payments service (environment, prefix ``TICKETING_``)."""

import string

from pydantic import Field, SecretStr, field_validator

from ticketing_runtime.settings import Port, ServiceSettings, non_empty_secret


class PaymentsSettings(ServiceSettings):
    service_name: str = "payments"
    http_port: Port = 28083
    stripe_api_key: SecretStr = SecretStr("sk_test_dev_emulator")  # DEV DEFAULT (the emulator)
    stripe_api_base: str = Field(
        "http://127.0.0.1:28090",
        description="the Stripe emulator; empty for real Stripe (api.stripe.com)",
    )
    stripe_webhook_secret: SecretStr = SecretStr("whsec_dev_only_not_a_secret")  # DEV DEFAULT
    stripe_webhook_tolerance_s: int = Field(300, ge=1)
    stripe_timeout_s: float = Field(3.0, gt=0, description="inline intent creation waits this long")
    intent_retry_base_s: float = Field(5.0, gt=0)
    intent_retry_cap_s: float = Field(300.0, gt=0)
    intent_max_attempts: int = Field(20, ge=1)
    intent_retry_poll_s: float = Field(1.0, gt=0)
    reconcile_interval_s: float = Field(60.0, ge=0, description="0 turns the reconciliation off")
    reconcile_after_s: float = Field(
        120.0,
        ge=0,
        description="ask Stripe about intents and pending refunds whose final webhook is this late",
    )
    payment_page_url: str = Field(
        "http://127.0.0.1:28080/checkout/{order_id}",
        description="the link sent to the customer when the intent was created late",
    )

    @field_validator("stripe_api_key", "stripe_webhook_secret")
    @classmethod
    def _stripe_secrets_not_empty(cls, secret: SecretStr) -> SecretStr:
        """An empty webhook secret: payments looked ready and refused every webhook."""
        non_empty_secret(secret)
        return secret

    @field_validator("payment_page_url")
    @classmethod
    def _order_id_only(cls, url: str) -> str:
        """A template naming anything but ``{order_id}`` failed only once Stripe had made the
        intent, and the customer never got their link. Empty: no link."""
        if not url:
            return url
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(url) if name is not None}
        except ValueError as exc:
            raise ValueError(f"not a template: {exc}") from exc
        if names != {"order_id"}:
            raise ValueError(f"must name {{order_id}} and nothing else, names {sorted(names)}")
        return url
