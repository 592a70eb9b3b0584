"""PaymentIntents through the official SDK: create, retrieve, confirm, decline, cancel."""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest
import stripe
from stripe.params import PaymentIntentCreateParams

from tests.stripe_emulator.conftest import WEBHOOK_SECRET, RunningEmulator
from tests.stripe_emulator.receiver import WebhookReceiver
from tests.stripe_emulator.sdk import (
    SDK_HTTPX_WARNING,
    error_of,
    expanded_charge,
    headers,
    payment_intent_in,
)
from tests.support.waiting import wait_for


def create(client: stripe.StripeClient, amount: int = 2500, **extra: Any) -> stripe.PaymentIntent:
    params = {"amount": amount, "currency": "eur", "metadata": {"order_id": "ord_1"}, **extra}
    return client.v1.payment_intents.create(params=cast("PaymentIntentCreateParams", params))


def test_create_and_retrieve_a_payment_intent(client: stripe.StripeClient) -> None:
    created = create(client, description="2 tickets", automatic_payment_methods={"enabled": True})

    assert created.object == "payment_intent"
    assert created.id.startswith("pi_")
    assert created.status == "requires_payment_method"
    assert created.amount == 2500
    assert created.amount_received == 0
    assert created.currency == "eur"
    assert (created.client_secret or "").startswith(f"{created.id}_secret_")
    assert created.metadata.to_dict() == {"order_id": "ord_1"}
    assert created.description == "2 tickets"
    assert created.livemode is False
    assert created.latest_charge is None
    assert created.last_payment_error is None
    assert created.cancellation_reason is None
    assert created.automatic_payment_methods is not None
    assert created.automatic_payment_methods.enabled is True
    assert headers(created)["Request-Id"].startswith("req_")

    fetched = client.v1.payment_intents.retrieve(created.id)
    assert fetched.to_dict() == created.to_dict()


def test_confirm_with_visa_succeeds_and_sends_signed_webhooks(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    intent = create(client)

    confirmed = client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_visa", "expand": ["latest_charge"]}
    )

    assert confirmed.status == "succeeded"
    assert confirmed.amount_received == 2500
    charge = expanded_charge(confirmed)
    assert charge.id.startswith("ch_")
    assert (charge.status, charge.paid, charge.amount, charge.payment_intent) == (
        "succeeded",
        True,
        2500,
        intent.id,
    )
    assert client.v1.payment_intents.retrieve(intent.id).latest_charge == charge.id

    succeeded = wait_for(
        lambda: receiver.about(intent.id, "payment_intent.succeeded"), what="the webhook"
    )[0]
    wait_for(lambda: receiver.about(intent.id, "charge.succeeded"), what="charge.succeeded")
    assert succeeded.headers["content-type"] == "application/json; charset=utf-8"
    assert succeeded.signature.startswith("t=")
    event = stripe.Webhook.construct_event(succeeded.body, succeeded.signature, WEBHOOK_SECRET)
    assert event.type == "payment_intent.succeeded"
    assert event.id.startswith("evt_")
    assert event.api_version == "2024-06-20"
    assert event.livemode is False
    assert event.data.object.id == intent.id
    assert event.data.object.status == "succeeded"
    assert event.data.object.metadata["order_id"] == "ord_1"
    assert event.request.id.startswith("req_")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            succeeded.body, succeeded.signature, "whsec_someone_elses_secret"
        )


@pytest.mark.parametrize(
    ("payment_method", "decline_code"),
    [
        ("pm_card_chargeDeclined", "generic_decline"),
        ("pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds"),
    ],
)
def test_declined_card_raises_card_error_and_sends_payment_failed(
    client: stripe.StripeClient, receiver: WebhookReceiver, payment_method: str, decline_code: str
) -> None:
    intent = create(client)

    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": payment_method})

    assert declined.value.http_status == 402
    assert declined.value.code == "card_declined"
    assert error_of(declined.value).decline_code == decline_code
    assert error_of(declined.value).type == "card_error"
    assert payment_intent_in(declined.value).id == intent.id
    assert payment_intent_in(declined.value).status == "requires_payment_method"

    after = client.v1.payment_intents.retrieve(intent.id)
    assert after.status == "requires_payment_method"
    assert after.amount_received == 0
    assert after.last_payment_error is not None
    assert after.last_payment_error.decline_code == decline_code

    failed = wait_for(lambda: receiver.about(intent.id, "payment_intent.payment_failed"))[0]
    event = stripe.Webhook.construct_event(failed.body, failed.signature, WEBHOOK_SECRET)
    assert event.data.object.last_payment_error.code == "card_declined"

    # the customer tries another card: the same PaymentIntent can still succeed
    retried = client.v1.payment_intents.confirm(
        intent.id, params={"payment_method": "pm_card_mastercard"}
    )
    assert retried.status == "succeeded"
    assert retried.last_payment_error is None


def test_confirm_or_cancel_in_the_wrong_state_is_refused(client: stripe.StripeClient) -> None:
    paid = create(client)
    client.v1.payment_intents.confirm(paid.id, params={"payment_method": "pm_card_visa"})
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.payment_intents.confirm(paid.id, params={"payment_method": "pm_card_visa"})
    assert again.value.http_status == 400
    assert again.value.code == "payment_intent_unexpected_state"
    with pytest.raises(stripe.InvalidRequestError) as cancel_paid:
        client.v1.payment_intents.cancel(paid.id)
    assert cancel_paid.value.code == "payment_intent_unexpected_state"


def test_cancel(client: stripe.StripeClient, receiver: WebhookReceiver) -> None:
    intent = create(client)

    canceled = client.v1.payment_intents.cancel(
        intent.id, params={"cancellation_reason": "abandoned"}
    )

    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "abandoned"
    assert canceled.canceled_at is not None
    wait_for(lambda: receiver.about(intent.id, "payment_intent.canceled"), what="canceled event")
    with pytest.raises(stripe.InvalidRequestError) as confirm_canceled:
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert confirm_canceled.value.code == "payment_intent_unexpected_state"


def test_bad_requests_name_the_param(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payment_intents.create(params={"currency": "eur"})  # type: ignore[typeddict-item]
    assert (missing.value.http_status, missing.value.param) == (400, "amount")
    assert missing.value.code == "parameter_missing"

    with pytest.raises(stripe.InvalidRequestError) as zero:
        client.v1.payment_intents.create(params={"amount": 0, "currency": "eur"})
    assert zero.value.param == "amount"

    intent = create(client)
    with pytest.raises(stripe.InvalidRequestError) as unknown_card:
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_nope"})
    assert (unknown_card.value.http_status, unknown_card.value.code) == (400, "resource_missing")
    assert unknown_card.value.param == "payment_method"

    with pytest.raises(stripe.InvalidRequestError) as unknown_intent:
        client.v1.payment_intents.retrieve("pi_does_not_exist")
    assert (unknown_intent.value.http_status, unknown_intent.value.code) == (
        404,
        "resource_missing",
    )


def test_wrong_or_missing_api_key_is_an_authentication_error(
    emulator: RunningEmulator, control: httpx.Client
) -> None:
    publishable = stripe.StripeClient(
        "pk_test_not_secret", base_addresses={"api": emulator.url}, max_network_retries=0
    )
    with pytest.raises(stripe.AuthenticationError) as refused:
        publishable.v1.payment_intents.create(params={"amount": 100, "currency": "eur"})
    assert refused.value.http_status == 401
    assert "Invalid API Key provided" in refused.value.user_message

    anonymous = control.post("/v1/payment_intents", data={"amount": "100", "currency": "eur"})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["type"] == "invalid_request_error"


def test_form_encoding_curl_style(control: httpx.Client) -> None:
    """Bracketed keys as curl users write them (``expand[]``, ``metadata[k]``), Basic auth."""
    created = control.post(
        "/v1/payment_intents",
        auth=("sk_test_curl", ""),
        data={
            "amount": "700",
            "currency": "EUR",
            "metadata[order_id]": "o-7",
            "metadata[seat]": "A12",
            "payment_method_types[]": "card",
            "confirm": "true",
            "payment_method": "pm_card_visa",
            "expand[]": "latest_charge",
        },
    )
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["metadata"] == {"order_id": "o-7", "seat": "A12"}
    assert body["currency"] == "eur"
    assert body["status"] == "succeeded"
    assert body["latest_charge"]["object"] == "charge"

    unknown = control.post(
        "/v1/payment_intents",
        headers={"Authorization": "Bearer sk_test_curl"},
        data={"amount": "700", "currency": "eur", "amount_typo": "1"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "parameter_unknown"


@pytest.mark.filterwarnings(SDK_HTTPX_WARNING)
async def test_async_calls(client: stripe.StripeClient, receiver: WebhookReceiver) -> None:
    created = await client.v1.payment_intents.create_async(
        params={"amount": 1200, "currency": "usd"}
    )
    confirmed = await client.v1.payment_intents.confirm_async(
        created.id, params={"payment_method": "pm_card_visa"}
    )
    assert confirmed.status == "succeeded"
    fetched = await client.v1.payment_intents.retrieve_async(created.id)
    assert fetched.amount_received == 1200


def test_events_api(client: stripe.StripeClient) -> None:
    intent = create(client)
    client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})

    newest = client.v1.events.list(params={"limit": 2})
    assert [e.type for e in newest.data] == ["payment_intent.succeeded", "charge.succeeded"]
    assert newest.has_more is True

    only = client.v1.events.list(params={"type": "payment_intent.succeeded"})
    assert [e.data.object.id for e in only.data] == [intent.id]
    assert only.has_more is False

    every = [e.type for e in client.v1.events.list(params={"limit": 1}).auto_paging_iter()]
    assert every == ["payment_intent.succeeded", "charge.succeeded", "payment_intent.created"]

    event = client.v1.events.retrieve(only.data[0].id)
    assert event.object == "event"
    assert event.data.object.status == "succeeded"
    assert event.pending_webhooks in (0, 1)
    assert event.request is not None
    assert event.request.idempotency_key  # the SDK sends one with every POST


def test_update_metadata_and_module_level_api(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The older module-level style (``stripe.api_key`` / ``stripe.api_base``) works as well."""
    monkeypatch.setattr(stripe, "api_key", "sk_test_module_level")
    monkeypatch.setattr(stripe, "api_base", emulator.url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)

    intent = stripe.PaymentIntent.create(amount=800, currency="eur", metadata={"a": "1"})
    updated = stripe.PaymentIntent.modify(intent.id, metadata={"a": "", "b": "2"}, amount=900)

    assert updated.metadata.to_dict() == {"b": "2"}
    assert updated.amount == 900
    assert stripe.PaymentIntent.retrieve(intent.id).amount == 900


def test_the_receipt_email_is_changed_or_unset_on_the_intent_and_its_charge(
    client: stripe.StripeClient,
) -> None:
    intent = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "eur", "receipt_email": "ana@example.com"}
    )
    paid = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert isinstance(paid.latest_charge, str)
    assert client.v1.charges.retrieve(paid.latest_charge).receipt_email == "ana@example.com"

    unset = client.v1.payment_intents.update(intent.id, params={"receipt_email": ""})

    assert unset.receipt_email is None
    assert client.v1.charges.retrieve(paid.latest_charge).receipt_email is None
