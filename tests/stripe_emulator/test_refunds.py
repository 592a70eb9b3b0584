"""Refunds of a paid PaymentIntent: full, partial, and too much."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tests.stripe_emulator.conftest import WEBHOOK_SECRET
from tests.stripe_emulator.receiver import WebhookReceiver
from tests.support.waiting import wait_for


def paid(client: stripe.StripeClient, amount: int = 1000) -> stripe.PaymentIntent:
    intent = client.v1.payment_intents.create(params={"amount": amount, "currency": "eur"})
    return client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})


def test_full_refund(client: stripe.StripeClient, receiver: WebhookReceiver) -> None:
    intent = paid(client)

    refund = client.v1.refunds.create(
        params={"payment_intent": intent.id, "metadata": {"reason_code": "event_cancelled"}}
    )

    assert refund.object == "refund"
    assert refund.id.startswith("re_")
    assert (refund.amount, refund.currency, refund.status) == (1000, "eur", "succeeded")
    assert refund.payment_intent == intent.id
    assert refund.charge == intent.latest_charge
    assert refund.metadata is not None
    assert refund.metadata["reason_code"] == "event_cancelled"
    assert client.v1.refunds.retrieve(refund.id).to_dict() == refund.to_dict()

    refunded = wait_for(lambda: receiver.about(intent.id, "charge.refunded"))[0]
    event = stripe.Webhook.construct_event(refunded.body, refunded.signature, WEBHOOK_SECRET)
    assert event.data.object.object == "charge"
    assert event.data.object.amount_refunded == 1000
    assert event.data.object.refunded is True
    wait_for(lambda: receiver.about(intent.id, "refund.created"), what="refund.created")

    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.refunds.create(params={"payment_intent": intent.id})
    assert (again.value.http_status, again.value.code) == (400, "charge_already_refunded")


def test_partial_refunds_until_nothing_is_left(client: stripe.StripeClient) -> None:
    intent = paid(client)

    first = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 300})
    assert first.amount == 300

    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 701})
    assert too_much.value.http_status == 400
    assert too_much.value.param == "amount"
    assert too_much.value.code == "amount_too_large"

    rest = client.v1.refunds.create(params={"payment_intent": intent.id})
    assert rest.amount == 700
    assert isinstance(intent.latest_charge, str)
    charge = client.v1.charges.retrieve(intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (1000, True)
    listed = client.v1.refunds.list(params={"payment_intent": intent.id})
    assert [r.id for r in listed.data] == [rest.id, first.id]

    with pytest.raises(stripe.InvalidRequestError) as nothing_left:
        client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1})
    assert nothing_left.value.code == "charge_already_refunded"


def test_refund_needs_a_succeeded_payment_intent(client: stripe.StripeClient) -> None:
    unpaid = client.v1.payment_intents.create(params={"amount": 500, "currency": "eur"})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create(params={"payment_intent": unpaid.id})
    assert refused.value.http_status == 400
    assert refused.value.param == "payment_intent"

    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.refunds.retrieve("re_unknown")
    assert (unknown.value.http_status, unknown.value.code) == (404, "resource_missing")


def paid_with(client: stripe.StripeClient, card: str, amount: int = 1000) -> stripe.PaymentIntent:
    intent = client.v1.payment_intents.create(params={"amount": amount, "currency": "eur"})
    return client.v1.payment_intents.confirm(intent.id, params={"payment_method": card})


def test_a_refund_of_the_pending_refund_card_is_pending_until_settled_then_succeeds(
    client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    intent = paid_with(client, "pm_card_pendingRefund")
    refund = client.v1.refunds.create(params={"payment_intent": intent.id})
    assert refund.status == "pending"
    assert client.v1.refunds.retrieve(refund.id).status == "pending"

    settled = control.post(f"/_emulator/refunds/{refund.id}/settle")
    assert settled.status_code == 200, settled.text
    assert client.v1.refunds.retrieve(refund.id).status == "succeeded"
    updated = wait_for(lambda: receiver.about(intent.id, "charge.refund.updated"))[0]
    assert updated.event["data"]["object"]["status"] == "succeeded"
    assert control.post(f"/_emulator/refunds/{refund.id}/settle").status_code == 400

    pending = client.v1.refunds.create(
        params={"payment_intent": paid_with(client, "pm_card_pendingRefund").id}
    )
    fails = control.post(f"/_emulator/refunds/{pending.id}/settle", json={"status": "canceled"})
    assert fails.status_code == 200, fails.text
    assert client.v1.refunds.retrieve(pending.id).status == "canceled"


def test_a_refund_of_the_refund_fail_card_succeeds_then_fails_and_the_charge_owes_it_again(
    client: stripe.StripeClient, control: httpx.Client, receiver: WebhookReceiver
) -> None:
    intent = paid_with(client, "pm_card_refundFail")
    refund = client.v1.refunds.create(params={"payment_intent": intent.id, "amount": 400})
    assert refund.status == "succeeded"

    assert control.post(f"/_emulator/refunds/{refund.id}/settle").status_code == 200
    failed = client.v1.refunds.retrieve(refund.id)
    assert (failed.status, failed.failure_reason) == ("failed", "expired_or_canceled_card")
    assert isinstance(intent.latest_charge, str)
    assert client.v1.charges.retrieve(intent.latest_charge).amount_refunded == 0
    wait_for(lambda: receiver.about(intent.id, "refund.updated"), what="refund.updated")


def test_a_refund_of_an_ordinary_card_has_nothing_to_settle_later(
    client: stripe.StripeClient, control: httpx.Client
) -> None:
    refund = client.v1.refunds.create(params={"payment_intent": paid(client).id})
    answer = control.post(f"/_emulator/refunds/{refund.id}/settle")
    assert answer.status_code == 400
    assert "nothing left to settle" in answer.text
    assert control.post("/_emulator/refunds/re_nosuch/settle").status_code == 404
