"""In-process checks of the small pure pieces: form decoding, settings, signatures."""

from __future__ import annotations

import pytest
import stripe

from stripe_emulator.config import DEFAULT_RETRY_DELAYS_S, ConfigError, Settings
from stripe_emulator.forms import decode
from stripe_emulator.signing import signature_header


def test_form_decoding_matches_the_sdks_encoding() -> None:
    assert decode(
        "amount=100&metadata[order_id]=o1&metadata[0]=zero&expand[0]=latest_charge"
        "&expand[1]=payment_method&payment_method_types[]=card"
        "&automatic_payment_methods[enabled]=true&description="
    ) == {
        "amount": "100",
        "metadata": {"order_id": "o1", "0": "zero"},
        "expand": ["latest_charge", "payment_method"],
        "payment_method_types": ["card"],
        "automatic_payment_methods": {"enabled": "true"},
        "description": "",
    }


def test_settings_defaults_and_overrides() -> None:
    defaults = Settings.from_env({})
    assert (defaults.host, defaults.port) == ("127.0.0.1", 28090)
    assert defaults.webhook_url == "http://127.0.0.1:28080/v1/webhooks/stripe"
    assert defaults.webhook_secret == "whsec_dev_only_not_a_secret"
    assert defaults.retry_delays_s == DEFAULT_RETRY_DELAYS_S == (0.5, 1, 2, 4, 8, 16, 32)

    custom = Settings.from_env(
        {
            "STRIPE_EMULATOR_PORT": "6000",
            "STRIPE_EMULATOR_WEBHOOK_URL": "",
            "STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS_S": "0.1, 2",
        }
    )
    assert (custom.port, custom.webhook_url, custom.retry_delays_s) == (6000, "", (0.1, 2.0))
    with pytest.raises(ConfigError):
        Settings.from_env({"STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS_S": "1,soon"})
    with pytest.raises(ConfigError):
        Settings.from_env({"STRIPE_EMULATOR_PORT": "http"})


def test_signature_header_is_what_the_sdk_verifies() -> None:
    payload = '{"id": "evt_1", "object": "event"}'
    header = signature_header(payload, "whsec_x", timestamp=1_700_000_000)
    assert header == stripe.WebhookSignature.generate_signature_header(
        payload, "whsec_x", timestamp=1_700_000_000
    )
    assert stripe.WebhookSignature.verify_header(
        payload, signature_header(payload, "whsec_x"), "whsec_x"
    )
