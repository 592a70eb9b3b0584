"""Webhook delivery: retries with back-off, giving up, manual redelivery, endpoint changes."""

from __future__ import annotations

from typing import Any

import httpx
import stripe

from tests.stripe_emulator.conftest import WEBHOOK_SECRET
from tests.stripe_emulator.receiver import WebhookReceiver, concerns
from tests.support.waiting import wait_for


def paid(client: stripe.StripeClient) -> stripe.PaymentIntent:
    intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    return client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})


def deliveries(control: httpx.Client, event_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = control.get(
        "/_emulator/deliveries", params={"event_id": event_id}
    ).json()["data"]
    return found


def test_failed_deliveries_are_retried_with_the_same_event(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    receiver.fail(lambda e: e["type"] == "payment_intent.succeeded", status=500, times=2)

    intent = paid(client)

    wait_for(
        lambda: len(receiver.about(intent.id, "payment_intent.succeeded")) >= 3,
        what="three delivery attempts",
    )
    attempts = receiver.about(intent.id, "payment_intent.succeeded")
    assert [a.answered for a in attempts] == [500, 500, 200]
    assert len({a.event["id"] for a in attempts}) == 1
    assert len({a.body for a in attempts}) == 1  # the same payload every time
    for attempt in attempts:  # and a valid signature every time
        stripe.Webhook.construct_event(attempt.body, attempt.signature, WEBHOOK_SECRET)

    event_id = attempts[0].event["id"]
    wait_for(lambda: any(d["ok"] for d in deliveries(control, event_id)), what="the record")
    log = deliveries(control, event_id)
    assert [(d["attempt"], d["status_code"], d["ok"]) for d in log] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert log[0]["next_retry_in_s"] == 0.1
    assert all(d["type"] == "payment_intent.succeeded" for d in log)


def test_delivery_gives_up_after_the_configured_retries(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    receiver.fail(lambda e: concerns(e, intent.id), status=503)

    client.v1.payment_intents.cancel(intent.id)

    event = client.v1.events.list(params={"type": "payment_intent.canceled"}).data[0]
    wait_for(
        lambda: any(d["gave_up"] for d in deliveries(control, event.id)),
        what="the emulator giving up",
    )
    log = deliveries(control, event.id)
    # one attempt plus one per configured delay (0.1,0.2,0.3)
    assert [d["status_code"] for d in log] == [503, 503, 503, 503]
    assert client.v1.events.retrieve(event.id).pending_webhooks == 0


def test_one_failing_event_does_not_hold_up_the_others(
    client: stripe.StripeClient, receiver: WebhookReceiver
) -> None:
    stuck = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    receiver.fail(lambda e: concerns(e, stuck.id), status=500)
    client.v1.payment_intents.confirm(stuck.id, params={"payment_method": "pm_card_visa"})

    fine = paid(client)

    got = wait_for(lambda: receiver.about(fine.id, "payment_intent.succeeded"), what="delivery")
    assert got[0].answered == 200


def test_manual_redelivery_keeps_the_event_id(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    intent = paid(client)
    first = wait_for(lambda: receiver.about(intent.id, "payment_intent.succeeded"))[0]
    event_id = first.event["id"]

    result = control.post(f"/_emulator/events/{event_id}/deliver")

    assert result.status_code == 200
    assert result.json()["status_code"] == 200
    assert result.json()["manual"] is True
    both = receiver.about(intent.id, "payment_intent.succeeded")
    assert [r.event["id"] for r in both] == [event_id, event_id]
    assert both[1].body == both[0].body
    stripe.Webhook.construct_event(both[1].body, both[1].signature, WEBHOOK_SECRET)
    assert control.post("/_emulator/events/evt_unknown/deliver").status_code == 404


def test_endpoint_and_secret_can_be_changed_at_run_time(
    client: stripe.StripeClient, receiver: WebhookReceiver, control: httpx.Client
) -> None:
    changed = control.post(
        "/_emulator/webhook",
        json={"url": receiver.url + "?v=2", "secret": "whsec_rotated"},
    )
    assert changed.json()["url"].endswith("?v=2")

    intent = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})

    got = wait_for(lambda: receiver.about(intent.id, "payment_intent.created"))[0]
    assert got.path.endswith("?v=2")
    stripe.Webhook.construct_event(got.body, got.signature, "whsec_rotated")

    # an empty URL switches delivery off; reset restores the configured endpoint
    control.post("/_emulator/webhook", json={"url": ""})
    quiet = client.v1.payment_intents.create(params={"amount": 1000, "currency": "eur"})
    assert client.v1.events.list(params={"limit": 1}).data[0].pending_webhooks == 0
    control.post("/_emulator/reset").raise_for_status()
    assert control.get("/_emulator/webhook").json()["url"] == receiver.url
    assert receiver.about(quiet.id) == []
