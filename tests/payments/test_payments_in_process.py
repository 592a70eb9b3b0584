"""Payments' use cases in this process against the real PostgreSQL and the Stripe emulator:
intents (inline, late, given up), webhooks (verified, stored once, checked against what we
created) and refunds (once, refused, retried while Stripe is down)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import stripe
from sqlalchemy import func, select, text

from stripe_emulator.signing import signature_header
from tests.stripe_emulator.conftest import API_KEY, WEBHOOK_SECRET, RunningEmulator
from tests.stripe_emulator.receiver import WebhookReceiver
from tests.support.scratch_service import published
from tests.support.waiting import eventually
from ticketing_contracts import (
    PaymentFailedV1,
    PaymentIntentCreatedV1,
    PaymentRefundedV1,
    PaymentRefundFailedV1,
    PaymentSucceededV1,
)
from ticketing_payments.adapters.tables import payment_intents, payment_refunds
from ticketing_payments.domain.aggregates import PaymentIntent
from ticketing_payments.domain.payment import IntentStatus
from ticketing_payments.service_layer.container import Payments
from ticketing_payments.service_layer.exceptions import (
    InvalidWebhookPayload,
    InvalidWebhookSignature,
    OrderNotPayable,
)
from ticketing_payments.service_layer.intents import (
    CancelIntent,
    ChargeOrder,
    CreateIntent,
    cancel_intent,
    charge_order,
    create_due_intents,
    create_intent,
    read_intent,
)
from ticketing_payments.service_layer.personal_data import ForgetCustomer, forget_customer
from ticketing_payments.service_layer.reconciliation import (
    reconcile_once,
    reconcile_refunds_once,
    refunds_pending_at_stripe,
    unmatched_events,
)
from ticketing_payments.service_layer.refunds import RefundPayment, refund_due, refund_payment
from ticketing_payments.service_layer.webhooks import ReceiveWebhook, receive_webhook
from ticketing_runtime.ids import new_id

pytestmark = pytest.mark.infra


def an_order(amount: int = 2500) -> CreateIntent:
    return CreateIntent(new_id("ord"), amount, "EUR", "ana@example.com", "Order T-1")


async def types_published(pay: Payments) -> list[str]:
    return [key for key, _ in await published(pay.database)]


async def paid(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver, card: str = "pm_card_visa"
) -> str:
    """An order whose intent the customer paid, its success webhook applied; its id."""
    order = an_order()
    intent = await create_intent(pay, order)
    assert intent.stripe_intent_id is not None
    await confirm(emulator, intent.stripe_intent_id, card)
    [webhook] = await eventually(
        lambda: receiver.about(str(intent.stripe_intent_id), "payment_intent.succeeded"),
        what="the success webhook",
    )
    received = await receive_webhook(pay, ReceiveWebhook(webhook.body, webhook.signature))
    assert not received.duplicate
    return order.order_id


async def confirm(
    emulator: RunningEmulator, stripe_intent_id: str, card: str = "pm_card_visa"
) -> None:
    """The customer pays with a card that works."""
    client = stripe.StripeClient(API_KEY, base_addresses={"api": emulator.url})
    params: Any = {"payment_method": card}
    await asyncio.to_thread(client.v1.payment_intents.confirm, stripe_intent_id, params)


async def outage(control: httpx.Client, mode: str) -> None:
    """Stripe down (``error``: every call answered 500) or back (``off``)."""
    async with httpx.AsyncClient(base_url=str(control.base_url), timeout=10) as client:
        answer = await client.post("/_emulator/outage", json={"mode": mode})
        answer.raise_for_status()


async def make_due(pay: Payments) -> None:
    """The backoff is over (the clock moved on)."""
    async with pay.database.engine.begin() as conn:
        await conn.execute(payment_intents.update().values(next_attempt_at=func.now()))
        await conn.execute(payment_refunds.update().values(next_attempt_at=func.now()))


async def test_an_intent_is_created_once_and_its_payment_settles_once(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver
) -> None:
    order = an_order()
    first = await create_intent(pay, order)
    again = await create_intent(pay, order)

    assert first.status is IntentStatus.OPEN
    assert str(first.stripe_intent_id).startswith("pi_")
    assert first.client_secret
    assert (again.stripe_intent_id, again.client_secret) == (
        first.stripe_intent_id,
        first.client_secret,
    )
    [(key, created)] = await published(pay.database)
    assert key == PaymentIntentCreatedV1.event_type
    assert created["payment_url"] is None  # the customer is at the checkout
    assert created["amount"] == {"amount": 2500, "currency": "EUR"}

    await confirm(emulator, str(first.stripe_intent_id))
    [webhook] = await eventually(
        lambda: receiver.about(str(first.stripe_intent_id), "payment_intent.succeeded"),
        what="the success webhook",
    )
    delivered = ReceiveWebhook(webhook.body, webhook.signature)
    assert not (await receive_webhook(pay, delivered)).duplicate
    assert (await receive_webhook(pay, delivered)).duplicate  # Stripe redelivers

    assert (await read_intent(pay, order.order_id)).status is IntentStatus.SUCCEEDED
    events = await published(pay.database)
    assert [key for key, _ in events] == [
        PaymentIntentCreatedV1.event_type,
        PaymentSucceededV1.event_type,
    ]
    assert events[1][1]["payment_intent_id"] == first.stripe_intent_id
    assert events[1][1]["order_id"] == order.order_id


async def test_forged_garbled_or_foreign_webhooks_change_nothing(pay: Payments) -> None:
    intent = await create_intent(pay, an_order())
    body = json.dumps(
        {
            "id": "evt_foreign_amount",
            "object": "event",
            "type": "payment_intent.succeeded",
            "data": {
                "object": {
                    "id": intent.stripe_intent_id,
                    "object": "payment_intent",
                    "amount": 1,  # not what we asked for
                    "currency": "eur",
                    "metadata": {"order_id": intent.order_id},
                }
            },
        }
    )

    with pytest.raises(InvalidWebhookSignature):
        await receive_webhook(pay, ReceiveWebhook(body.encode(), "t=1,v1=forged"))
    garbled = "{not json"
    with pytest.raises(InvalidWebhookPayload):
        await receive_webhook(pay, ReceiveWebhook(garbled.encode(), signed(garbled)))
    received = await receive_webhook(pay, ReceiveWebhook(body.encode(), signed(body)))

    assert not received.duplicate
    assert (await read_intent(pay, intent.order_id)).status is IntentStatus.OPEN
    assert await types_published(pay) == [PaymentIntentCreatedV1.event_type]
    [(event, reason)] = await unmatched_events(pay)
    assert (event["event_id"], reason) == ("evt_foreign_amount", "wrong_amount")


def signed(body: str) -> str:
    return signature_header(body, WEBHOOK_SECRET)


async def test_stripe_down_backs_off_then_the_loop_creates_the_intent_and_sends_the_link(
    pay: Payments, fresh_emulator: httpx.Client
) -> None:
    await outage(fresh_emulator, "error")
    order = an_order()

    waiting = await create_intent(pay, order)
    assert (waiting.status, waiting.stripe_intent_id, waiting.attempts) == (
        IntentStatus.CREATING,
        None,
        1,
    )
    assert await create_due_intents(pay) == 0, "not due before its backoff is over"
    await outage(fresh_emulator, "off")
    await make_due(pay)
    assert await create_due_intents(pay) == 1

    created = await read_intent(pay, order.order_id)
    assert created.status is IntentStatus.OPEN
    [(key, event)] = await published(pay.database)
    assert key == PaymentIntentCreatedV1.event_type
    assert order.order_id in event["payment_url"]  # late: the customer gets the link


async def test_the_intent_order_placed_asks_for_waits_for_the_inline_answer(pay: Payments) -> None:
    """``order.placed`` is published before orders asks for the intent inline: the loop must not
    make it first (as late: a payment-link e-mail to a customer still at checkout)."""
    order = an_order()
    async with pay.database.unit_of_work() as uow:
        await charge_order(uow, ChargeOrder(order, paid_elsewhere=False))
        await uow.commit()
    assert await create_due_intents(pay) == 0, "the inline request gets its chance first"

    created = await create_intent(pay, order)

    assert created.status is IntentStatus.OPEN
    [(key, event)] = await published(pay.database)
    assert key == PaymentIntentCreatedV1.event_type
    assert event["payment_url"] is None  # not late: no link mailed
    await make_due(pay)
    assert await create_due_intents(pay) == 0


async def test_stripe_down_too_long_gives_the_intent_up(
    pay: Payments, fresh_emulator: httpx.Client
) -> None:
    await outage(fresh_emulator, "error")
    order = an_order()
    await create_intent(pay, order)  # attempt 1 of 3
    for _ in range(2):
        await make_due(pay)
        await create_due_intents(pay)

    gave_up: PaymentIntent = await read_intent(pay, order.order_id)
    assert (gave_up.status, gave_up.attempts) == (IntentStatus.CREATION_FAILED, 3)
    [(key, event)] = await published(pay.database)
    assert key == PaymentFailedV1.event_type
    assert "try again later" in event["reason"]
    await make_due(pay)
    assert await create_due_intents(pay) == 0, "given up: never tried again"


async def test_a_refund_is_made_once_refused_beyond_the_charge_and_retried_while_down(
    pay: Payments,
    emulator: RunningEmulator,
    receiver: WebhookReceiver,
    fresh_emulator: httpx.Client,
) -> None:
    order_id = await paid(pay, emulator, receiver)
    refund = RefundPayment(new_id("rf"), order_id, 1000, "EUR", paid_elsewhere=False)
    for _ in range(2):  # orders' event, then its redelivery
        async with pay.database.unit_of_work() as uow:
            await refund_payment(pay, uow, refund)
            await uow.commit()
    too_much = RefundPayment(new_id("rf"), order_id, 999_999, "EUR", paid_elsewhere=False)
    async with pay.database.unit_of_work() as uow:
        await refund_payment(pay, uow, too_much)
        await uow.commit()

    await outage(fresh_emulator, "error")
    later = RefundPayment(new_id("rf"), order_id, 500, "EUR", paid_elsewhere=False)
    async with pay.database.unit_of_work() as uow:
        await refund_payment(pay, uow, later)
        await uow.commit()
    async with pay.database.engine.connect() as conn:
        query = select(payment_refunds.c.status, payment_refunds.c.attempts).where(
            payment_refunds.c.refund_id == later.refund_id
        )
        assert (await conn.execute(query)).one() == ("pending", 1)
    await outage(fresh_emulator, "off")
    await make_due(pay)
    assert await refund_due(pay) == 1

    events = [(k, e) for k, e in await published(pay.database) if "refund" in k]
    assert [(k, e["refund_id"]) for k, e in events] == [
        (PaymentRefundedV1.event_type, refund.refund_id),
        (PaymentRefundFailedV1.event_type, too_much.refund_id),
        (PaymentRefundedV1.event_type, later.refund_id),
    ]
    assert str(events[0][1]["stripe_refund_id"]).startswith("re_")
    assert "does not match" in events[1][1]["reason"]
    assert events[1][1]["refused_by"] == "payments"  # not the card's: no e-mail says it was


async def test_a_refund_stripe_made_before_its_record_was_lost_is_not_made_again(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver
) -> None:
    """Stripe made the refund, then our transaction died (its record and answer lost), and the
    message came back a day later, its idempotency key expired: Stripe's own record of our
    refund is taken, not a second refund made."""
    order_id = await paid(pay, emulator, receiver)
    async with pay.database.unit_of_work() as uow:
        [intent] = (
            await uow.session.execute(
                select(payment_intents.c.stripe_intent_id).where(
                    payment_intents.c.order_id == order_id
                )
            )
        ).one()
    lost = RefundPayment(new_id("rf"), order_id, 1000, "EUR", paid_elsewhere=False)
    client = stripe.StripeClient(API_KEY, base_addresses={"api": emulator.url})
    made_before: Any = {
        "payment_intent": intent,
        "amount": 1000,
        "metadata": {"order_id": order_id, "refund_id": lost.refund_id},
    }
    first = await asyncio.to_thread(client.v1.refunds.create, made_before)  # another key

    async with pay.database.unit_of_work() as uow:
        await refund_payment(pay, uow, lost)
        await uow.commit()

    listed = await asyncio.to_thread(client.v1.refunds.list, {"payment_intent": intent})
    assert [r.id for r in listed.data] == [first.id]  # one refund of the money, not two
    [(_, refunded)] = [
        (k, e) for k, e in await published(pay.database) if e.get("refund_id") == lost.refund_id
    ]
    assert refunded["stripe_refund_id"] == first.id


async def test_a_dead_orders_intent_is_cancelled_quietly(pay: Payments) -> None:
    order = an_order()
    await create_intent(pay, order)
    async with pay.database.unit_of_work() as uow:
        await cancel_intent(pay, uow, CancelIntent(order.order_id))
        await uow.commit()

    assert (await read_intent(pay, order.order_id)).status is IntentStatus.CANCELED
    assert await types_published(pay) == [PaymentIntentCreatedV1.event_type]
    async with pay.database.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM stripe_events"))).scalar() == 0


@pytest.mark.parametrize("late", ["order.placed redelivered", "asked inline"])
async def test_an_order_that_died_before_it_was_heard_placed_gets_no_intent(
    pay: Payments, late: str
) -> None:
    """``order.placed`` failed here and is retried (or replayed from the parking lot) after the
    order expired or was cancelled: no intent is made, so no payment link is mailed for a dead
    order and nobody can pay it."""
    order = an_order()
    async with pay.database.unit_of_work() as uow:
        await cancel_intent(pay, uow, CancelIntent(order.order_id))
        await uow.commit()

    if late == "asked inline":
        with pytest.raises(OrderNotPayable):
            await create_intent(pay, order)
    else:
        async with pay.database.unit_of_work() as uow:
            await charge_order(uow, ChargeOrder(order, paid_elsewhere=False))
            await uow.commit()
    await make_due(pay)
    assert await create_due_intents(pay) == 0
    async with pay.database.engine.connect() as conn:
        query = select(func.count()).where(payment_intents.c.order_id == order.order_id)
        assert (await conn.execute(query)).scalar() == 0
    assert await types_published(pay) == []


async def test_reconciliation_asks_about_every_open_intent_in_turn_past_one_stripe_refuses(
    pay: Payments, emulator: RunningEmulator
) -> None:
    """Lost webhooks: the oldest open intent is one Stripe no longer knows, the next is still
    unpaid, the two newest were paid. Two at a time, the first round passes over the unknown
    one (it ended the round) and the second reaches the paid ones (it took the same two)."""
    orders = [an_order() for _ in range(4)]
    intents = [await create_intent(pay, order) for order in orders]
    for paid_intent in intents[2:]:
        await confirm(emulator, str(paid_intent.stripe_intent_id))  # their webhooks never come
    async with pay.database.engine.begin() as conn:
        for age, order in zip((4, 3, 2, 1), orders, strict=True):
            await conn.execute(
                text(
                    "UPDATE payment_intents SET updated_at = now() - make_interval(hours => :h)"
                    " WHERE order_id = :o"
                ),
                {"h": age, "o": order.order_id},
            )
        await conn.execute(
            text("UPDATE payment_intents SET stripe_intent_id = 'pi_gone' WHERE order_id = :o"),
            {"o": orders[0].order_id},
        )

    assert await reconcile_once(pay, most=2) == 0  # the unknown one and the unpaid one
    assert await reconcile_once(pay, most=2) == 2
    statuses = [(await read_intent(pay, o.order_id)).status for o in orders]
    assert statuses == [IntentStatus.OPEN, IntentStatus.OPEN] + [IntentStatus.SUCCEEDED] * 2


async def test_replicas_reconciling_together_ask_stripe_about_each_intent_once(
    pay: Payments, emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every replica runs the loop: each read the same stale intents and asked Stripe about
    every one, N replicas N times a round (Stripe's rate limit shared with the checkouts)."""
    orders = [an_order() for _ in range(3)]
    for order in orders:
        paid_intent = await create_intent(pay, order)
        await confirm(emulator, str(paid_intent.stripe_intent_id))  # its webhook never comes
    async with pay.database.engine.begin() as conn:
        await conn.execute(
            text("UPDATE payment_intents SET updated_at = now() - interval '1 hour'")
        )
    asked: list[str] = []
    retrieve = pay.stripe.retrieve_intent

    async def counted(stripe_intent_id: str) -> dict[str, Any]:
        asked.append(stripe_intent_id)
        return await retrieve(stripe_intent_id)

    monkeypatch.setattr(pay.stripe, "retrieve_intent", counted)
    settled = await asyncio.gather(*(reconcile_once(pay) for _ in range(3)))

    assert sum(settled) >= 3
    assert sorted(asked) == sorted(set(asked))  # none asked twice
    statuses = [(await read_intent(pay, o.order_id)).status for o in orders]
    assert statuses == [IntentStatus.SUCCEEDED] * 3


async def test_a_refund_stripe_fails_after_accepting_it_is_announced_as_failed_once(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver
) -> None:
    """A refund Stripe first accepts (it answers pending or succeeded) can still fail (a closed
    card account): its ``refund.failed`` names our refund, and orders must learn the money did
    not go back; a redelivery, or a refund of someone else's, changes nothing."""
    order_id = await paid(pay, emulator, receiver)
    refund = RefundPayment(new_id("rf"), order_id, 1000, "EUR", paid_elsewhere=False)
    async with pay.database.unit_of_work() as uow:
        await refund_payment(pay, uow, refund)
        await uow.commit()
    [(_, refunded)] = [(k, e) for k, e in await published(pay.database) if "refund" in k]
    stripe_refund_id = refunded["stripe_refund_id"]
    failed = {
        "id": "evt_refund_failed_later",
        "object": "event",
        "type": "refund.failed",
        "data": {
            "object": {
                "id": stripe_refund_id,
                "object": "refund",
                "amount": 1000,
                "currency": "eur",
                "status": "failed",
                "failure_reason": "expired_or_canceled_card",
                "metadata": {"refund_id": refund.refund_id},
            }
        },
    }
    for event_id in ("evt_refund_failed_later", "evt_refund_failed_again"):
        body = json.dumps({**failed, "id": event_id})
        await receive_webhook(pay, ReceiveWebhook(body.encode(), signed(body)))

    events = [(k, e) for k, e in await published(pay.database) if "refund" in k]
    assert [k for k, _ in events] == [
        PaymentRefundedV1.event_type,
        PaymentRefundFailedV1.event_type,
    ]
    assert "expired_or_canceled_card" in events[1][1]["reason"]
    assert events[1][1]["refused_by"] == "stripe"
    async with pay.database.engine.connect() as conn:
        query = select(payment_refunds.c.status, payment_refunds.c.stripe_refund_id).where(
            payment_refunds.c.refund_id == refund.refund_id
        )
        assert (await conn.execute(query)).one() == ("failed", stripe_refund_id)
    assert await unmatched_events(pay) == []


async def refunded_through_stripe(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver, card: str
) -> tuple[RefundPayment, str]:
    """A paid order refunded in full; the refund and Stripe's id of it."""
    order_id = await paid(pay, emulator, receiver, card)
    refund = RefundPayment(new_id("rf"), order_id, 2500, "EUR", paid_elsewhere=False)
    async with pay.database.unit_of_work() as uow:
        await refund_payment(pay, uow, refund)
        await uow.commit()
    async with pay.database.engine.connect() as conn:
        query = select(payment_refunds.c.stripe_refund_id).where(
            payment_refunds.c.refund_id == refund.refund_id
        )
        stripe_refund_id = (await conn.execute(query)).scalar_one()
    return refund, str(stripe_refund_id)


async def refund_row(pay: Payments, refund_id: str) -> tuple[str, str | None]:
    async with pay.database.engine.connect() as conn:
        query = select(payment_refunds.c.status, payment_refunds.c.stripe_status).where(
            payment_refunds.c.refund_id == refund_id
        )
        found = (await conn.execute(query)).one()
    return found.status, found.stripe_status


async def unchanged_for_an_hour(pay: Payments, refund_id: str) -> None:
    async with pay.database.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE payment_refunds SET updated_at = now() - interval '1 hour',"
                " reconciled_at = NULL WHERE refund_id = :r"
            ),
            {"r": refund_id},
        )


async def test_a_pending_refund_whose_failure_webhook_is_lost_is_found_failed_by_reconciliation(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver
) -> None:
    """Stripe accepts the refund as pending (orders is told the money is on its way), then
    fails it; its webhook never reaches us. Reconciliation asks about pending refunds until
    Stripe settles them: orders learns the money did not go back, once."""
    refund, stripe_refund_id = await refunded_through_stripe(
        pay, emulator, receiver, "pm_card_pendingRefund"
    )
    assert await refund_row(pay, refund.refund_id) == ("succeeded", "pending")
    assert await refunds_pending_at_stripe(pay) == 1
    await unchanged_for_an_hour(pay, refund.refund_id)
    assert await reconcile_refunds_once(pay) == 0  # still pending at Stripe: asked, nothing new
    async with pay.database.engine.connect() as conn:
        asked = select(payment_refunds.c.reconciled_at).where(
            payment_refunds.c.refund_id == refund.refund_id
        )
        assert (await conn.execute(asked)).scalar_one() is not None  # it waits its turn again

    async with httpx.AsyncClient(base_url=emulator.url) as client:
        settled = await client.post(f"/_emulator/refunds/{stripe_refund_id}/settle")
    assert settled.status_code == 200, settled.text  # it succeeded: pm_card_pendingRefund
    await unchanged_for_an_hour(pay, refund.refund_id)
    assert await reconcile_refunds_once(pay) == 1
    assert await refund_row(pay, refund.refund_id) == ("succeeded", "succeeded")
    assert await refunds_pending_at_stripe(pay) == 0
    await unchanged_for_an_hour(pay, refund.refund_id)
    assert await reconcile_refunds_once(pay) == 0  # settled: never asked about again
    refund_events = [k for k in await types_published(pay) if "refund" in k]
    assert refund_events == [PaymentRefundedV1.event_type]

    failing, failing_id = await refunded_through_stripe(
        pay, emulator, receiver, "pm_card_pendingRefund"
    )
    async with httpx.AsyncClient(base_url=emulator.url) as client:
        fails = {"status": "failed"}  # pending, then failed after all (a closed card account)
        settled = await client.post(f"/_emulator/refunds/{failing_id}/settle", json=fails)
    assert settled.status_code == 200, settled.text
    await unchanged_for_an_hour(pay, failing.refund_id)
    assert await reconcile_refunds_once(pay) == 1
    assert await refund_row(pay, failing.refund_id) == ("failed", "failed")
    events = [(k, e) for k, e in await published(pay.database) if "refund" in k]
    assert [k for k, _ in events][-1] == PaymentRefundFailedV1.event_type
    assert events[-1][1]["refund_id"] == failing.refund_id
    assert "after accepting it" in events[-1][1]["reason"]
    assert await unmatched_events(pay) == []


async def test_an_erased_customers_address_is_forgotten_here_and_at_stripe(
    pay: Payments, emulator: RunningEmulator, receiver: WebhookReceiver
) -> None:
    order_id = await paid(pay, emulator, receiver)
    intent = await read_intent(pay, order_id)
    client = stripe.StripeClient(API_KEY, base_addresses={"api": emulator.url})
    assert client.v1.payment_intents.retrieve(str(intent.stripe_intent_id)).receipt_email

    for _ in range(2):  # the event delivered again forgets nothing more, and fails nothing
        async with pay.database.unit_of_work() as uow:
            await forget_customer(pay, uow, ForgetCustomer(order_id))
            await uow.commit()

    assert (await read_intent(pay, order_id)).customer_email == ""
    at_stripe = client.v1.payment_intents.retrieve(str(intent.stripe_intent_id))
    assert at_stripe.receipt_email is None
    async with pay.database.engine.connect() as conn:
        stored = await conn.execute(text("SELECT payload::text FROM stripe_events"))
        payloads = [row[0] for row in stored]
    assert payloads  # the success webhook, kept
    assert not any("ana@example.com" in p for p in payloads)
    async with pay.database.unit_of_work() as uow:  # an order payments never charged
        await forget_customer(pay, uow, ForgetCustomer(new_id("ord")))
