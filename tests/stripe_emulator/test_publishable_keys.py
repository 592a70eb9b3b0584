"""The browser's side, as Stripe.js does it: a publishable key and the intent's client secret
confirm that one intent (from another origin: CORS), and reach nothing else."""

from __future__ import annotations

import httpx
import stripe

from tests.stripe_emulator.conftest import RunningEmulator

PUBLISHABLE = "pk_test_emulator_suite"
STOREFRONT = "http://127.0.0.1:28080"


def intent(client: stripe.StripeClient) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(params={"amount": 4200, "currency": "eur"})


def confirm(control: httpx.Client, created: stripe.PaymentIntent, **form: str) -> httpx.Response:
    body = {"key": PUBLISHABLE, "client_secret": created.client_secret or "", **form}
    return control.post(
        f"/v1/payment_intents/{created.id}/confirm", data=body, headers={"Origin": STOREFRONT}
    )


def test_a_browser_confirms_with_the_publishable_key_and_the_client_secret(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    created = intent(client)
    answer = confirm(control, created, payment_method="pm_card_visa")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "succeeded"
    assert answer.headers["access-control-allow-origin"] == "*"
    assert client.v1.payment_intents.retrieve(created.id).status == "succeeded"


def test_a_decline_answers_the_card_error_and_the_intent_can_be_confirmed_again(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    created = intent(client)
    declined = confirm(control, created, payment_method="pm_card_chargeDeclinedInsufficientFunds")
    assert declined.status_code == 402
    error = declined.json()["error"]
    assert (error["type"], error["decline_code"]) == ("card_error", "insufficient_funds")
    assert confirm(control, created, payment_method="pm_card_visa").json()["status"] == "succeeded"
    charges = client.v1.charges.list(params={"payment_intent": created.id}).data
    assert sorted(c.status for c in charges) == ["failed", "succeeded"]


def test_the_publishable_key_also_works_as_a_bearer_token_to_read_the_intent(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    created = intent(client)
    answer = control.get(
        f"/v1/payment_intents/{created.id}",
        params={"client_secret": created.client_secret},
        headers={"Authorization": f"Bearer {PUBLISHABLE}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == created.id


def test_a_wrong_or_missing_client_secret_is_refused_and_nothing_is_charged(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    created, other = intent(client), intent(client)
    wrong = confirm(
        control, created, payment_method="pm_card_visa", client_secret=other.client_secret or ""
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"]["param"] == "client_secret"
    missing = control.post(
        f"/v1/payment_intents/{created.id}/confirm",
        data={"key": PUBLISHABLE, "payment_method": "pm_card_visa"},
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "parameter_missing"
    assert client.v1.payment_intents.retrieve(created.id).status == "requires_payment_method"


def test_a_publishable_key_reaches_nothing_but_one_intent(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    created = intent(client)
    for method, path in (
        ("GET", "/v1/payment_intents"),
        ("POST", "/v1/payment_intents"),
        ("POST", f"/v1/payment_intents/{created.id}/cancel"),
        ("POST", "/v1/refunds"),
    ):
        form = {"key": PUBLISHABLE, "amount": "1"}
        answer = (
            control.get(path, params=form) if method == "GET" else control.post(path, data=form)
        )
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "secret_key_required"
    assert client.v1.payment_intents.retrieve(created.id).status == "requires_payment_method"


def test_a_cors_preflight_from_the_storefront_is_allowed(emulator: RunningEmulator) -> None:
    answer = httpx.options(
        f"{emulator.url}/v1/payment_intents/pi_x/confirm",
        headers={
            "Origin": STOREFRONT,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] in ("*", STOREFRONT)
    assert "POST" in answer.headers["access-control-allow-methods"]
