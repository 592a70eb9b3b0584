"""Notifications' use cases in this process against the real PostgreSQL and the SMTP sink, orders,
documents and inventory stubbed at the HTTP boundary: an e-mail is owed once per event, sent once,
retried while SMTP or orders is down, parked (and announced) when it cannot be sent."""

from __future__ import annotations

import email
import email.policy
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, insert

from tests.support.platform import free_port
from tests.support.scratch_service import published, scratch_service
from tests.support.smtp_sink import RunningSink
from tests.support.stub_neighbour import StubNeighbour, stub_neighbour
from ticketing_contracts import (
    Envelope,
    Event,
    Money,
    NotificationFailedV1,
    NotificationSentV1,
    PaymentRefundFailedV1,
)
from ticketing_notifications.adapters.smtp_sender import SmtpSender
from ticketing_notifications.adapters.tables import notifications
from ticketing_notifications.domain.notification import (
    ERASED,
    NO_TICKETS_LEFT,
    NotificationStatus,
    Template,
)
from ticketing_notifications.entrypoints.handlers import register
from ticketing_notifications.service_layer import reading
from ticketing_notifications.service_layer.container import Notifications
from ticketing_notifications.service_layer.exceptions import NothingToResend, NotificationNotFound
from ticketing_notifications.service_layer.owing import (
    ConfirmTickets,
    OweEmail,
    ResendEmail,
    ResendParked,
    confirm_tickets,
    owe_email,
    resend_email,
    resend_parked,
)
from ticketing_notifications.service_layer.personal_data import ForgetCustomer, forget_customer
from ticketing_notifications.service_layer.sending import send_due
from ticketing_notifications.settings import NotificationsSettings
from ticketing_runtime.callers import Identity
from ticketing_runtime.consumer import Delivery, Handler
from ticketing_runtime.due_work import attempts_in_flight
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceClient

pytestmark = pytest.mark.infra
STAFF = Identity(kind="staff", subject="staff:tests", roles=frozenset({"staff"}))


def order_facts(order_id: str, email: str | None = "ana@example.com") -> dict[str, Any]:
    return {
        "order_id": order_id,
        "order_number": "T-1001",
        "access_token": "tok",
        "customer": {"name": "Ana", "email": email},
        "event_name": "Hamlet",
        "venue_name": "The Globe",
        "venue_address": "21 New Globe Walk",
        "performance_id": "perf_1",
        "starts_at": "2027-03-01T19:30:00+00:00",
        "payment_deadline": None,
        "time_zone": "Europe/London",
        "total": {"amount": 2500, "currency": "GBP"},
        "tickets": [
            {
                "ticket_id": "tkt_1",
                "ticket_number": "T-1001-1",
                "status": "valid",
                "tier_name": "Stalls",
                "seat": {"section": "Stalls", "row": "B", "number": 7},
            }
        ],
    }


@pytest.fixture
def neighbours() -> Iterator[StubNeighbour]:
    with stub_neighbour() as stub:
        yield stub


@pytest.fixture
async def notes(
    infrastructure: None, sink: RunningSink, neighbours: StubNeighbour
) -> AsyncIterator[Notifications]:
    await sink.clear()
    async with scratch_service(
        "notifications",
        NotificationsSettings,
        orders_url=neighbours.url,
        documents_url=neighbours.url,
        inventory_url=neighbours.url,
        smtp_port=sink.smtp_port,
        mail_retry_base_s=30.0,
        mail_max_attempts=2,
    ) as (settings, database):
        clients = [ServiceClient(settings, neighbours.url) for _ in range(3)]
        yield Notifications(
            database=database,
            orders=clients[0],
            documents=clients[1],
            inventory=clients[2],
            smtp=SmtpSender("127.0.0.1", sink.smtp_port, timeout_s=5),
            settings=settings,
        )
        for client in clients:
            await client.close()


def an_order(neighbours: StubNeighbour, email: str | None = "ana@example.com") -> str:
    order_id = new_id("ord")
    neighbours.answer_json(f"/internal/orders/{order_id}", order_facts(order_id, email))
    neighbours.answer_bytes(
        f"/internal/orders/{order_id}/tickets.pdf", b"%PDF-1.4 tickets", "application/pdf"
    )
    neighbours.answer_json("/v1/performances/perf_1", {"ends_at": "2027-03-01T22:00:00+00:00"})
    return order_id


async def make_due(notes: Notifications) -> None:
    async with notes.database.engine.begin() as conn:
        await conn.execute(notifications.update().values(next_attempt_at=func.now()))


async def confirm(notes: Notifications, order_id: str) -> None:
    async with notes.database.unit_of_work() as uow:
        await confirm_tickets(uow, ConfirmTickets(order_id))
        await uow.commit()


async def test_tickets_whose_first_render_was_parked_are_confirmed_by_the_re_render(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Version 1 never rendered (parked), so staff rendered again: version 2 is the first the
    customer hears of; later renders and a late or repeated version 1 mail nobody."""
    order_id = an_order(neighbours)
    for _ in range(4):  # version 2, then 3, then a late version 1, then 2 redelivered
        await confirm(notes, order_id)

    assert await send_due(notes) == 1
    [mail] = await sink.messages(to="ana@example.com")
    assert "T-1001" in mail["subject"]
    [note] = await reading.of_order(notes, order_id)
    assert note.template is Template.ORDER_CONFIRMATION


async def test_an_order_confirmed_before_the_upgrade_is_not_confirmed_again_by_a_re_render(
    notes: Notifications, neighbours: StubNeighbour
) -> None:
    """Confirmations were once keyed by the rendered event; a re-render of such an order (now
    keyed by the order) still finds it."""
    order_id = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-rendered-v1", Template.ORDER_CONFIRMATION, order_id))
        await uow.commit()
    await confirm(notes, order_id)
    assert len(await reading.of_order(notes, order_id)) == 1


async def test_an_owed_email_is_recorded_once_and_sent_once(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    order_id = an_order(neighbours)
    owed = OweEmail("evt-rendered-1", Template.ORDER_CONFIRMATION, order_id)
    for _ in range(2):  # the event, then its redelivery
        async with notes.database.unit_of_work() as uow:
            await owe_email(uow, owed)
            await uow.commit()

    assert await send_due(notes) == 1
    assert await send_due(notes) == 0

    [mail] = await sink.messages(to="ana@example.com")
    assert "T-1001" in mail["subject"]
    [note] = await reading.of_order(notes, order_id)
    assert (note.status, note.recipient, note.attempts) == (
        NotificationStatus.SENT,
        "ana@example.com",
        1,
    )
    assert note.smtp_message_id == mail["message_id"]
    [(key, event)] = await published(notes.database)
    assert key == NotificationSentV1.event_type
    assert (event["notification_id"], event["template"]) == (
        note.notification_id,
        "order_confirmation",
    )


async def test_the_confirmations_calendar_invitation_carries_no_order_token(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """A calendar entry is shared and synced: the order's link in it would open the tickets to
    whoever sees the calendar. It links to the performance's public page."""
    order_id = an_order(neighbours)
    await confirm(notes, order_id)
    assert await send_due(notes) == 1
    [mail] = await sink.messages(to="ana@example.com")
    received = email.message_from_bytes(await sink.raw(mail["id"]), policy=email.policy.default)
    [invitation] = [part for part in received.walk() if part.get_content_type() == "text/calendar"]
    payload = invitation.get_payload(decode=True)
    assert isinstance(payload, bytes)
    ics = payload.decode().replace("\r\n ", "")
    assert "token" not in ics
    assert "URL:http://127.0.0.1:28080/performances/perf_1" in ics.splitlines()


async def test_smtp_down_backs_off_and_the_email_goes_once_it_is_back(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    order_id = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-expired-1", Template.ORDER_EXPIRED, order_id))
        await uow.commit()
    working = notes.smtp
    notes.smtp = SmtpSender("127.0.0.1", free_port(), timeout_s=2)  # nobody listens there

    assert await send_due(notes) == 0
    [note] = await reading.of_order(notes, order_id)
    assert (note.status, note.attempts) == (NotificationStatus.PENDING, 1)
    assert note.last_error
    assert await send_due(notes) == 0, "not due before its backoff is over"

    notes.smtp = working
    await make_due(notes)
    assert await send_due(notes) == 1
    assert len(await sink.messages(to="ana@example.com")) == 1
    assert [key for key, _ in await published(notes.database)] == [NotificationSentV1.event_type]


async def test_no_address_parks_at_once_and_orders_down_parks_after_the_attempts(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    box_office = an_order(neighbours, email=None)
    orders_down = new_id("ord")
    neighbours.answer_json(f"/internal/orders/{orders_down}", {"detail": "down"}, status=503)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-a", Template.ORDER_EXPIRED, box_office))
        await owe_email(uow, OweEmail("evt-b", Template.ORDER_EXPIRED, orders_down))
        await uow.commit()

    await send_due(notes)
    [no_address] = await reading.of_order(notes, box_office)
    [waiting] = await reading.of_order(notes, orders_down)
    assert (no_address.status, no_address.attempts) == (NotificationStatus.PARKED, 1)
    assert (waiting.status, waiting.attempts) == (NotificationStatus.PENDING, 1)
    await make_due(notes)
    await send_due(notes)  # attempt 2 of 2

    [given_up] = await reading.of_order(notes, orders_down)
    assert (given_up.status, given_up.attempts) == (NotificationStatus.PARKED, 2)
    failed = await published(notes.database)
    assert [(k, e["order_id"]) for k, e in failed] == [
        (NotificationFailedV1.event_type, box_office),
        (NotificationFailedV1.event_type, orders_down),
    ]
    assert "e-mail address" in failed[0][1]["error"]
    assert failed[1][1]["attempts"] == 2
    assert await sink.messages() == []


async def test_a_confirmation_of_an_order_refunded_before_it_went_out_is_not_sent(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Refunded (every ticket) straight after its tickets were rendered: their PDF is gone for
    good, and the confirmation asked for it ten times, then parked, a fault in the report and an
    alert for an e-mail that should not go at all. It is set aside at once, saying why."""
    refunded = an_order(neighbours)
    facts = order_facts(refunded)
    facts["tickets"][0]["status"] = "refunded"
    neighbours.answer_json(f"/internal/orders/{refunded}", facts)
    neighbours.answer_json(
        f"/internal/orders/{refunded}/tickets.pdf", {"detail": "gone"}, status=404
    )
    await confirm(notes, refunded)

    assert await send_due(notes) == 0
    [note] = await reading.of_order(notes, refunded)
    assert (note.status, note.attempts) == (NotificationStatus.PARKED, 1)
    assert note.last_error == NO_TICKETS_LEFT
    assert await reading.parked(notes, 500) == (0, [])
    assert await sink.messages() == []
    async with notes.database.unit_of_work() as uow:  # a resend would be set aside again
        with pytest.raises(NothingToResend):
            await resend_email(uow, ResendEmail(note.notification_id, STAFF))


async def test_an_email_that_cannot_be_sent_never_holds_up_the_ones_behind_it(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """An address with letters before the @ that SMTP cannot carry (accepted before orders
    refused them), and an order whose facts break the template's expectations: each failed by
    raising, which rolled its attempt back and left it first in line for ever, every e-mail of
    every customer behind it. The first is parked at once, the second retried, then parked."""
    unsendable = an_order(neighbours, email="josé@example.com")
    odd = new_id("ord")
    neighbours.answer_json(f"/internal/orders/{odd}", {"order_number": "T-9"})  # no customer
    fine = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        for event, order_id in (("evt-1", unsendable), ("evt-2", odd), ("evt-3", fine)):
            await owe_email(uow, OweEmail(event, Template.ORDER_EXPIRED, order_id))
        await uow.commit()

    assert await send_due(notes) == 1
    assert len(await sink.messages(to="ana@example.com")) == 1
    [parked] = await reading.of_order(notes, unsendable)
    assert (parked.status, parked.attempts) == (NotificationStatus.PARKED, 1)
    assert "NonASCIILocalPartDefect" in (parked.last_error or "")
    [retried] = await reading.of_order(notes, odd)
    assert (retried.status, retried.attempts) == (NotificationStatus.PENDING, 1)
    await make_due(notes)
    await send_due(notes)  # attempt 2 of 2
    [given_up] = await reading.of_order(notes, odd)
    assert (given_up.status, given_up.attempts) == (NotificationStatus.PARKED, 2)


async def test_emails_parked_by_an_smtp_outage_are_reported_and_sent_again_together(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    first, second = an_order(neighbours), an_order(neighbours)
    at_desk = an_order(neighbours, email=None)  # parked at once, with nothing to fix
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-out-1", Template.ORDER_EXPIRED, first))
        await owe_email(uow, OweEmail("evt-out-2", Template.ORDER_EXPIRED, second))
        await owe_email(uow, OweEmail("evt-out-3", Template.ORDER_EXPIRED, at_desk))
        await uow.commit()
    working = notes.smtp
    notes.smtp = SmtpSender("127.0.0.1", free_port(), timeout_s=2)  # the outage
    await send_due(notes)
    await make_due(notes)
    await send_due(notes)  # attempt 2 of 2: parked
    count, parked = await reading.parked(notes, 500)
    assert count == 2
    assert {n.order_id for n in parked} == {first, second}
    assert {n.status for n in parked} == {NotificationStatus.PARKED}

    notes.smtp = working  # the cause is fixed
    async with notes.database.unit_of_work() as uow:
        assert await resend_parked(uow, ResendParked(STAFF)) == 2
    assert await send_due(notes) == 2
    assert len(await sink.messages(to="ana@example.com")) == 2
    assert await reading.parked(notes, 500) == (0, [])
    keys = [key for key, _ in await published(notes.database)]
    assert keys.count("audit.action.recorded.v1") == 1


async def test_a_resend_parked_by_a_second_outage_is_sent_once_when_it_is_over(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Staff resend the parked e-mails while SMTP is still down, so the resends park too: the
    original came back in the report beside its parked resend, and the next resend sent the
    customer two e-mails (four after a third outage)."""
    order_id = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-twice-1", Template.ORDER_EXPIRED, order_id))
        await uow.commit()
    working = notes.smtp
    notes.smtp = SmtpSender("127.0.0.1", free_port(), timeout_s=2)

    async def park_what_is_due() -> None:
        await send_due(notes)
        await make_due(notes)
        await send_due(notes)  # attempt 2 of 2: parked

    await park_what_is_due()
    async with notes.database.unit_of_work() as uow:
        assert await resend_parked(uow, ResendParked(STAFF)) == 1
    await park_what_is_due()  # still down
    count, [listed] = await reading.parked(notes, 500)
    assert count == 1
    assert listed.key.startswith("resend:")  # the resend, in its original's place

    notes.smtp = working
    async with notes.database.unit_of_work() as uow:
        assert await resend_parked(uow, ResendParked(STAFF)) == 1
    assert await send_due(notes) == 1
    assert len(await sink.messages(to="ana@example.com")) == 1
    assert await reading.parked(notes, 500) == (0, [])


async def test_an_erased_customers_parked_emails_leave_the_report_and_say_why(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Erasing the customer cleared each e-mail's error (it may quote the address), which also
    cleared what kept a box-office sale's address-less e-mail out of the parked report: the
    gauge that should read 0 counted them for good, and no resend could ever clear them."""
    at_desk = an_order(neighbours, email=None)
    outage = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-desk", Template.ORDER_EXPIRED, at_desk))
        await owe_email(uow, OweEmail("evt-outage", Template.ORDER_EXPIRED, outage))
        await uow.commit()
    notes.smtp = SmtpSender("127.0.0.1", free_port(), timeout_s=2)
    await send_due(notes)
    await make_due(notes)
    await send_due(notes)  # attempt 2 of 2: parked
    assert (await reading.parked(notes, 500))[0] == 1  # the outage's; the desk's has no address

    for order_id in (at_desk, outage):
        async with notes.database.unit_of_work() as uow:
            await forget_customer(uow, ForgetCustomer(order_id))
            await uow.commit()
    assert await reading.parked(notes, 500) == (0, [])
    for order_id in (at_desk, outage):
        [note] = await reading.of_order(notes, order_id)
        assert note.status is NotificationStatus.PARKED
        assert note.last_error == ERASED
        assert note.recipient is None


async def test_a_second_email_of_the_same_kind_does_not_hide_a_parked_one(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Two refunds of one order: the first one's e-mail parked in an SMTP outage, the second
    sent. The customer never heard of the first: it stays in the report until it is resent."""
    order_id = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-refund-1", Template.ORDER_EXPIRED, order_id))
        await uow.commit()
    working = notes.smtp
    notes.smtp = SmtpSender("127.0.0.1", free_port(), timeout_s=2)  # the outage
    await send_due(notes)
    await make_due(notes)
    await send_due(notes)  # parked
    notes.smtp = working
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-refund-2", Template.ORDER_EXPIRED, order_id))
        await uow.commit()
    assert await send_due(notes) == 1

    count, [still] = await reading.parked(notes, 500)
    assert (count, still.key) == (1, "evt-refund-1:order_expired")
    async with notes.database.unit_of_work() as uow:
        assert await resend_parked(uow, ResendParked(STAFF)) == 1
    assert await send_due(notes) == 1
    assert await reading.parked(notes, 500) == (0, [])


async def test_staff_resend_an_email_as_a_new_one(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    order_id = an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-c", Template.ORDER_EXPIRED, order_id))
        await uow.commit()
    await send_due(notes)
    [original] = await reading.of_order(notes, order_id)

    async with notes.database.unit_of_work() as uow:
        again = await resend_email(uow, ResendEmail(original.notification_id, STAFF))
    with pytest.raises(NotificationNotFound):
        async with notes.database.unit_of_work() as uow:
            await resend_email(uow, ResendEmail("ntf_nobody", STAFF))
    await send_due(notes)

    assert again.notification_id != original.notification_id
    assert again.status is NotificationStatus.PENDING
    assert len(await sink.messages(to="ana@example.com")) == 2
    keys = [key for key, _ in await published(notes.database)]
    assert keys.count(NotificationSentV1.event_type) == 2
    assert "audit.action.recorded.v1" in keys


async def test_an_email_that_killed_its_worker_three_times_is_parked_and_reported(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Three workers killed while sending it (memory running out on its attachment, say) leave
    the attempt each began; sent again, it would kill the next, and every e-mail behind it would
    wait for ever. It is parked instead, listed for staff, and a resend sends it."""
    deadly, fine = an_order(neighbours), an_order(neighbours)
    async with notes.database.unit_of_work() as uow:
        await owe_email(uow, OweEmail("evt-oom-1", Template.ORDER_EXPIRED, deadly))
        await owe_email(uow, OweEmail("evt-oom-2", Template.ORDER_EXPIRED, fine))
        await uow.commit()
    [owed] = await reading.of_order(notes, deadly)
    async with notes.database.engine.begin() as conn:
        await conn.execute(
            insert(attempts_in_flight).values(
                work="notifications",
                key=owed.notification_id,
                started=3,
                last_started_at=func.now(),
            )
        )

    assert await send_due(notes) == 1
    assert len(await sink.messages(to="ana@example.com")) == 1
    count, [parked] = await reading.parked(notes, 500)
    assert (count, parked.order_id, parked.attempts) == (1, deadly, 3)
    assert "died or failed in each of its last 3 attempts" in str(parked.last_error)
    announced = [(key, event) for key, event in await published(notes.database)]
    failed = [event for key, event in announced if key == NotificationFailedV1.event_type]
    assert [(e["notification_id"], e["attempts"]) for e in failed] == [(owed.notification_id, 3)], (
        "a parked e-mail is announced as failed, however it came to be parked"
    )

    async with notes.database.unit_of_work() as uow:
        assert await resend_parked(uow, ResendParked(STAFF)) == 1
    assert await send_due(notes) == 1
    assert len(await sink.messages(to="ana@example.com")) == 2


class HandlerTable:
    """What ``register`` needs of a consumer: each handler by the event it handles."""

    def __init__(self) -> None:
        self.handlers: dict[type[Event], Handler] = {}

    def handles(self, event_type: type[Event]) -> Callable[[Handler], Handler]:
        def keep(handler: Handler) -> Handler:
            self.handlers[event_type] = handler
            return handler

        return keep


async def test_a_refund_refused_by_the_bank_is_mailed_and_one_refused_by_payments_is_not(
    notes: Notifications, neighbours: StubNeighbour, sink: RunningSink
) -> None:
    """Told before that the money was on its way to their card, the customer must learn it
    could not go back there; payments' own refusal (a refund that did not match the charge)
    is staff's to sort out, and a mail blaming the card would be wrong."""
    table = HandlerTable()
    register(table)  # type: ignore[arg-type]
    on_refund_failed = table.handlers[PaymentRefundFailedV1]
    by_bank, by_payments = an_order(neighbours), an_order(neighbours)
    for order_id, refused_by in ((by_bank, "stripe"), (by_payments, "payments")):
        failed = PaymentRefundFailedV1(
            order_id=order_id,
            refund_id=new_id("rfd"),
            amount=Money(amount=2500, currency="EUR"),
            reason="expired_or_canceled_card",
            refused_by=refused_by,  # type: ignore[arg-type]
        )
        envelope = Envelope.new(source="payments", type=failed.event_type, subject=order_id)
        async with notes.database.unit_of_work() as uow:
            await on_refund_failed(Delivery(failed, envelope, uow, 1))
            await uow.commit()

    assert await send_due(notes) == 1
    [mail] = await sink.messages(to="ana@example.com")
    assert "could not go back to your card" in mail["subject"]
    assert [n.template for n in await reading.of_order(notes, by_bank)] == [Template.REFUND_FAILED]
    assert await reading.of_order(notes, by_payments) == []
