"""Simulated outages: 500s, hanging requests, and recovery."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
import stripe

from tests.stripe_emulator.conftest import API_KEY, RunningEmulator
from tests.stripe_emulator.sdk import error_of, headers
from tests.support.waiting import wait_for


def test_error_outage_fails_every_call_until_switched_off(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    before = client.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})
    assert control.post("/_emulator/outage", json={"mode": "error"}).json()["mode"] == "error"

    with pytest.raises(stripe.APIError) as down:
        client.v1.payment_intents.retrieve(before.id)
    assert down.value.http_status == 500
    assert error_of(down.value).type == "api_error"
    with pytest.raises(stripe.APIError):
        client.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})

    control.post("/_emulator/outage", json={"mode": "off"}).raise_for_status()
    assert client.v1.payment_intents.retrieve(before.id).id == before.id


def test_outage_answers_are_not_stored_under_the_idempotency_key(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    key = f"outage-{uuid.uuid4()}"
    control.post("/_emulator/outage", json={"mode": "error", "status": 503})
    with pytest.raises(stripe.APIError) as down:
        client.v1.payment_intents.create(
            params={"amount": 500, "currency": "eur"}, options={"idempotency_key": key}
        )
    assert down.value.http_status == 503
    control.post("/_emulator/outage", json={"mode": "off"})

    created = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "eur"}, options={"idempotency_key": key}
    )
    assert created.status == "requires_payment_method"
    assert "Idempotent-Replayed" not in headers(created)


def test_outage_ends_by_itself_and_the_sdk_retries_ride_it_out(
    emulator: RunningEmulator, control: httpx.Client
) -> None:
    patient = stripe.StripeClient(
        API_KEY, base_addresses={"api": emulator.url}, max_network_retries=3
    )
    control.post("/_emulator/outage", json={"mode": "error", "for_s": 0.4}).raise_for_status()

    # the SDK retries the 500s with the same idempotency key until the outage is over
    created = patient.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})

    assert created.status == "requires_payment_method"
    assert len(patient.v1.payment_intents.list().data) == 1
    assert control.get("/_emulator/outage").json()["mode"] == "off"


def test_timeout_outage_makes_the_client_time_out(
    emulator: RunningEmulator, control: httpx.Client
) -> None:
    impatient = stripe.StripeClient(
        API_KEY,
        base_addresses={"api": emulator.url},
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=0.5),
    )
    control.post("/_emulator/outage", json={"mode": "timeout", "for_s": 20}).raise_for_status()
    assert control.get("/_emulator/outage").json()["mode"] == "timeout"

    started = time.monotonic()
    with pytest.raises(stripe.APIConnectionError):
        impatient.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})
    assert time.monotonic() - started < 5

    control.post("/_emulator/outage", json={"mode": "off"}).raise_for_status()
    assert wait_for(lambda: impatient.v1.payment_intents.list().data == [], what="the API back")
    # the request that hung had no effect
    assert impatient.v1.payment_intents.list().data == []
