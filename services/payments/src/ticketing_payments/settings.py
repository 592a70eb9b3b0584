"""Settings of the payments service (environment, prefix ``TICKETING_``)."""

from pydantic import Field, SecretStr

from ticketing_runtime.settings import ServiceSettings


class PaymentsSettings(ServiceSettings):
    service_name: str = "payments"
    http_port: int = 28083
    stripe_api_key: SecretStr = SecretStr("sk_test_dev_emulator")  # DEV DEFAULT (the emulator)
    stripe_api_base: str = Field(
        "http://127.0.0.1:28090",
        description="the Stripe emulator; empty for real Stripe (api.stripe.com)",
    )
    stripe_webhook_secret: SecretStr = SecretStr("whsec_dev_only_not_a_secret")  # DEV DEFAULT
    stripe_webhook_tolerance_s: int = 300
    stripe_timeout_s: float = Field(3.0, description="inline intent creation waits this long")
    intent_retry_base_s: float = 5.0
    intent_retry_cap_s: float = 300.0
    intent_max_attempts: int = 20
    intent_retry_poll_s: float = 1.0
    reconcile_interval_s: float = Field(60.0, description="0 turns the reconciliation off")
    reconcile_after_s: float = Field(
        120.0,
        description="ask Stripe about intents and pending refunds whose final webhook is this late",
    )
    payment_page_url: str = Field(
        "http://127.0.0.1:28080/checkout/{order_id}",
        description="the link sent to the customer when the intent was created late",
    )
