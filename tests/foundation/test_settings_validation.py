"""A bad value in the environment stops the process at start, naming the variable: before,
each of these was taken and broke later, one request, one loop or one customer at a time."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ticketing_documents.settings import DocumentsSettings
from ticketing_gateway.settings import GatewaySettings
from ticketing_notifications.settings import NotificationsSettings
from ticketing_orders.settings import DEV_TICKET_SIGNING_KEY, OrdersSettings
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
        ("AMQP_URL", "", "set but empty"),  # the service failed to connect, naming no variable
        # both failed while the service was built, naming neither variable
        ("TICKET_SIGNING_KEY", "", "ticket_signing_key"),
        ("TICKET_SIGNING_KEY", "c2hvcnQ=", "not a 32-byte Ed25519 seed"),
        ("HTTP_PORT", "70000", "http_port"),
        ("DATABASE_PORT", "0", "database_port"),
        ("ORDER_LINKS_INTERVAL_S", "-5", "order_links_interval_s"),
    ],
)
def test_a_bad_value_is_refused_at_start_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    assert said in refused(OrdersSettings, monkeypatch, **{variable: value})


@pytest.mark.parametrize(
    ("settings", "variable", "value", "said"),
    [
        # payments looked ready, and every Stripe webhook was refused (400) for good
        (PaymentsSettings, "STRIPE_WEBHOOK_SECRET", "", "set but empty"),
        (PaymentsSettings, "STRIPE_API_KEY", "", "set but empty"),
        (PaymentsSettings, "INTENT_RETRY_CAP_S", "1", "_RETRY_CAP_S (1.0) is below"),
        (DocumentsSettings, "RENDER_RETRY_CAP_S", "1", "below TICKETING_RENDER_RETRY_BASE_S"),
        (NotificationsSettings, "SMTP_PASSWORD", "", "set but empty"),  # AUTH with no password
        (NotificationsSettings, "SMTP_PORT", "0", "smtp_port"),
        # a subclass's own empty-secret check kept the base's (a same-named one replaced it)
        (PaymentsSettings, "DATABASE_PASSWORD", "", "set but empty"),
        (NotificationsSettings, "INTERNAL_TOKEN_SECRET", "", "set but empty"),
        (NotificationsSettings, "MAX_ATTACHMENT_BYTES", "-1", "max_attachment_bytes"),
        (GatewaySettings, "TOKEN_SIGNING_KEY", "not-a-key!", "token_signing_key"),
    ],
)
def test_each_services_own_bad_value_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, settings: type[Any], variable: str, value: str, said: str
) -> None:
    assert said in refused(settings, monkeypatch, **{variable: value})


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


def test_a_signing_key_read_from_a_file_keeps_working_with_its_newline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TICKETING_TICKET_SIGNING_KEY", DEV_TICKET_SIGNING_KEY + "\n")
    assert OrdersSettings().ticket_signing_key.get_secret_value().strip() == DEV_TICKET_SIGNING_KEY


def test_good_values_pass_and_a_level_is_read_in_any_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TICKETING_LOG_LEVEL", "debug")
    monkeypatch.setenv("TICKETING_TOKEN_PUBLIC_KEYS", f'["{DEV_TOKEN_PUBLIC_KEY}"]')
    settings = OrdersSettings()
    assert settings.log_level == "DEBUG"
    assert settings.token_public_keys == [DEV_TOKEN_PUBLIC_KEY]
