"""A bad value in the environment stops the process at start, naming the variable: before,
each of these was taken and broke later, one request, one loop or one customer at a time."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ticketing_documents.settings import DocumentsSettings
from ticketing_orders.settings import OrdersSettings
from ticketing_payments.settings import PaymentsSettings
from ticketing_runtime.settings import DEV_TOKEN_PUBLIC_KEY


def refused(settings: type[Any], monkeypatch: pytest.MonkeyPatch, **environment: str) -> str:
    for name, value in environment.items():
        monkeypatch.setenv(f"TICKETING_{name}", value)
    with pytest.raises(ValidationError) as refusal:
        settings()
    return str(refusal.value)


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        # the ConfigMap's placeholder: every staff request answered 500 in five services
        ("TOKEN_PUBLIC_KEYS", '["REPLACE_WITH_THE_PUBLIC_HALF"]', "not base64"),
        ("DATABASE_PASSWORD", "", "set but empty"),  # silently the dev password
        ("INTERNAL_TOKEN_SECRET", "", "set but empty"),
        ("ORDER_TOKEN_SECRET", "short", "at least 16"),  # an empty key: any order's link
        ("OUTBOX_BATCH_SIZE", "0", "outbox_batch_size"),  # the relay spun, publishing nothing
        ("INBOX_RETENTION_S", "0", "inbox_retention_s"),  # every redelivery handled twice
        ("OUTBOX_POLL_INTERVAL_S", "0", "outbox_poll_interval_s"),
        ("RETRY_DELAYS_MS", "[1000, -5]", "positive"),
        ("SHUTDOWN_GRACE_S", "-1", "shutdown_grace_s"),
        ("LOG_LEVEL", "verbose", "log_level"),
        ("PLACEMENT_LEASE_S", "0", "placement_lease_s"),  # a live placement taken over
        ("PAYMENT_WINDOW_S", "0", "payment_window_s"),
    ],
)
def test_a_bad_value_is_refused_at_start_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    assert said in refused(OrdersSettings, monkeypatch, **{variable: value})


def test_a_payment_link_template_must_name_the_order_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A typo failed only once Stripe had made the intent: the customer never got the link."""
    said = refused(PaymentsSettings, monkeypatch, PAYMENT_PAGE_URL="https://shop/{orderid}")
    assert "{order_id}" in said
    monkeypatch.setenv("TICKETING_PAYMENT_PAGE_URL", "https://shop.example/checkout/{order_id}")
    assert PaymentsSettings().payment_page_url.endswith("{order_id}")
    monkeypatch.setenv("TICKETING_PAYMENT_PAGE_URL", "")
    assert PaymentsSettings().payment_page_url == ""  # no payment-link e-mail


def test_s3_takes_both_keys_or_neither(monkeypatch: pytest.MonkeyPatch) -> None:
    said = refused(DocumentsSettings, monkeypatch, S3_SECRET_ACCESS_KEY="")
    assert "set both" in said
    monkeypatch.setenv("TICKETING_S3_ACCESS_KEY_ID", "")
    assert DocumentsSettings().s3_access_key_id.get_secret_value() == ""  # the AWS chain


def test_good_values_pass_and_a_level_is_read_in_any_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TICKETING_LOG_LEVEL", "debug")
    monkeypatch.setenv("TICKETING_TOKEN_PUBLIC_KEYS", f'["{DEV_TOKEN_PUBLIC_KEY}"]')
    settings = OrdersSettings()
    assert settings.log_level == "DEBUG"
    assert settings.token_public_keys == [DEV_TOKEN_PUBLIC_KEY]
