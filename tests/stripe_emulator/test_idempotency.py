"""Idempotency keys: replay with no side effect, mismatched reuse refused, races serialised."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import stripe
from stripe.params import PaymentIntentConfirmParams, PaymentIntentCreateParams

from tests.stripe_emulator.conftest import RunningEmulator
from tests.stripe_emulator.sdk import SDK_HTTPX_WARNING, error_of, headers


def key() -> str:
    return f"test-{uuid.uuid4()}"


def created_events(client: stripe.StripeClient) -> list[str]:
    events = client.v1.events.list(params={"type": "payment_intent.created", "limit": 100})
    return [e.data.object.id for e in events.data]


def test_same_key_same_params_replays_the_first_answer(client: stripe.StripeClient) -> None:
    params: PaymentIntentCreateParams = {"amount": 900, "currency": "eur"}
    k = key()

    first = client.v1.payment_intents.create(params=params, options={"idempotency_key": k})
    second = client.v1.payment_intents.create(params=params, options={"idempotency_key": k})

    assert second.id == first.id
    assert second.to_dict() == first.to_dict()
    assert "Idempotent-Replayed" not in headers(first)
    assert headers(second)["Idempotent-Replayed"] == "true"
    assert created_events(client) == [first.id]
    assert len(client.v1.payment_intents.list().data) == 1


def test_same_key_other_params_is_an_idempotency_error(client: stripe.StripeClient) -> None:
    k = key()
    client.v1.payment_intents.create(
        params={"amount": 900, "currency": "eur"}, options={"idempotency_key": k}
    )
    with pytest.raises(stripe.IdempotencyError) as reused:
        client.v1.payment_intents.create(
            params={"amount": 901, "currency": "eur"}, options={"idempotency_key": k}
        )
    assert reused.value.http_status == 400
    assert error_of(reused.value).type == "idempotency_error"


def test_keys_are_scoped_per_api_key(
    emulator: RunningEmulator, client: stripe.StripeClient
) -> None:
    other_account = stripe.StripeClient(
        "sk_test_other_account", base_addresses={"api": emulator.url}, max_network_retries=0
    )
    k = key()
    mine = client.v1.payment_intents.create(
        params={"amount": 900, "currency": "eur"}, options={"idempotency_key": k}
    )
    theirs = other_account.v1.payment_intents.create(
        params={"amount": 900, "currency": "eur"}, options={"idempotency_key": k}
    )
    assert theirs.id != mine.id


def test_errors_are_replayed_too(client: stripe.StripeClient) -> None:
    intent = client.v1.payment_intents.create(params={"amount": 900, "currency": "eur"})
    k = key()
    confirm: PaymentIntentConfirmParams = {"payment_method": "pm_card_chargeDeclined"}
    with pytest.raises(stripe.CardError) as first:
        client.v1.payment_intents.confirm(intent.id, params=confirm, options={"idempotency_key": k})
    with pytest.raises(stripe.CardError) as replayed:
        client.v1.payment_intents.confirm(intent.id, params=confirm, options={"idempotency_key": k})
    assert replayed.value.json_body == first.value.json_body
    assert replayed.value.headers is not None
    assert replayed.value.headers["Idempotent-Replayed"] == "true"
    failures = client.v1.events.list(params={"type": "payment_intent.payment_failed"})
    assert len(failures.data) == 1


@pytest.mark.filterwarnings(SDK_HTTPX_WARNING)
async def test_racing_requests_with_one_key_create_one_object(
    client: stripe.StripeClient,
) -> None:
    k = key()
    results = await asyncio.gather(
        *(
            client.v1.payment_intents.create_async(
                params={"amount": 4200, "currency": "eur", "metadata": {"order_id": "race"}},
                options={"idempotency_key": k},
            )
            for _ in range(10)
        )
    )
    assert len({r.id for r in results}) == 1
    replayed = [headers(r).get("Idempotent-Replayed") for r in results]
    assert replayed.count("true") == 9
    assert len(client.v1.payment_intents.list(params={"limit": 100}).data) == 1
    assert created_events(client) == [results[0].id]
