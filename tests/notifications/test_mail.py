"""The notifications mail core without the platform: templates, MIME, retries, and real SMTP.

Sending goes to the SMTP sink dev tool running as a process on free ports, or to an in-process
aiosmtpd server scripted to answer 4xx/5xx, so every failure class is a real SMTP exchange.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from pydantic import ValidationError

from smtp_sink.config import DEFAULT_SMTP_PORT
from tests.support.platform import stack
from tests.support.smtp_sink import HOST, RunningSink, start_sink
from ticketing_notifications.adapters.mail_composer import (
    DEFAULT_MAX_ATTACHMENT_BYTES,
    MissingContext,
    compose,
    message_id_for,
    to_email_message,
)
from ticketing_notifications.adapters.smtp_sender import MailDeliveryFailed, SmtpSender
from ticketing_notifications.domain.links import checkout_url, order_url
from ticketing_notifications.domain.mail import Attachment, OutgoingMail
from ticketing_notifications.domain.money import format_money
from ticketing_notifications.domain.notification import Template, notification_key
from ticketing_notifications.settings import NotificationsSettings
from ticketing_runtime.backoff import retry_delay_s, should_park

T = Template
ORDER = "ORD-20261123-7KQ2XM"
PAY_URL = checkout_url("http://127.0.0.1:28080/", "o-1", "tok-1")
ORDER_URL = order_url("http://127.0.0.1:28080/", "o-1", "tok-1")
ICS = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
TICKETS_URL = "http://127.0.0.1:28080/downloads/o-1/tickets.pdf"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 16 + b"\n%%EOF\n"
SENDER = "Tickets <tickets@example.com>"


def context(**overrides: Any) -> dict[str, Any]:
    """Every key any template needs; each template ignores the ones it does not use."""
    values: dict[str, Any] = {
        "customer_name": "Ada Lovelace",
        "customer_email": "ada@example.com",
        "order_number": ORDER,
        "event_name": "Hamlet",
        "starts_at": datetime(2026, 11, 21, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")),
        "tickets_count": 3,
        "tickets_pdf": PDF,
        "payment_url": PAY_URL,
        "payment_deadline": datetime(2026, 11, 20, 12, 15, tzinfo=UTC),
        "amount_minor": 4250,
        "currency": "EUR",
        "reason": "Your card was declined.",
        "voided_tickets": [f"{ORDER}-2", f"{ORDER}-3"],
        "fully_refunded": False,
        "venue_line": "Schaubühne, Kurfürstendamm 153, Berlin",
        "ticket_lines": [f"{ORDER}-1: Stalls, row B, seat 4 (Stalls)", f"{ORDER}-2: Floor"],
        "total_minor": 8000,
        "order_url": ORDER_URL,
        "calendar": ICS,
        "orders": [
            {
                "order_number": ORDER,
                "event_name": "Hamlet",
                "starts_at": datetime(2026, 11, 21, 20, 0, tzinfo=ZoneInfo("Europe/Berlin")),
                "state": "paid",
                "url": ORDER_URL,
            },
            {
                "order_number": "ORD-20261001-AAAAAA",
                "event_name": "Faust",
                "starts_at": None,
                "state": "partly refunded",
                "url": PAY_URL,
            },
        ],
    }
    return values | overrides


# what the customer must learn from each e-mail, in the text and in the HTML
KEY_FACTS = {
    T.ORDER_CONFIRMATION: [
        "Hamlet",
        "Saturday 21 November 2026, 20:00 CET",
        "3 tickets",
        f"attached to this e-mail (tickets-{ORDER}.pdf)",
        f"calendar invitation ({ORDER}.ics)",
        "Schaubühne, Kurfürstendamm 153, Berlin",
        f"{ORDER}-1: Stalls, row B, seat 4 (Stalls)",
        "€80.00",
        ORDER_URL,
    ],
    T.PAYMENT_LINK: ["Hamlet", "€42.50", PAY_URL, "Friday 20 November 2026, 12:15 UTC"],
    T.PAYMENT_FAILED: [
        "Reason: Your card was declined.",
        "still open",
        "until",
        "Friday 20 November 2026, 12:15 UTC",
        PAY_URL,
    ],
    T.ORDER_EXPIRED: ["Hamlet", "expired", "Nothing was charged", "still on its way"],
    T.REFUND_DONE: ["€42.50", f"{ORDER}-2", f"{ORDER}-3", "other tickets stay valid"],
    T.REFUND_FAILED: ["€42.50", "Hamlet", "the refund was not accepted", "pay it back another way"],
    T.LATE_PAYMENT_REFUNDED: ["sorry", "after the order had expired", "€42.50", "automatically"],
    T.UNWANTED_PAYMENT_REFUNDED: [
        "after the order had been cancelled",
        "no tickets were issued",
        "€42.50",
        "automatically",
    ],
    T.PERFORMANCE_CANCELLED: ["Hamlet", "has been cancelled", "€42.50", "automatically"],
    T.PERFORMANCE_CANCELLED_AT_DESK: [
        "Hamlet",
        "has been cancelled",
        "€42.50",
        "box office",
    ],
    T.PERFORMANCE_CANCELLED_UNPAID: [
        "Hamlet",
        "Saturday 21 November 2026, 20:00 CET",
        "has been cancelled",
        "nothing was charged",
    ],
    T.ORDER_LINKS: [
        "Hamlet",
        "Saturday 21 November 2026, 20:00 CET",
        f"Order {ORDER} (paid)",
        ORDER_URL,
        "Faust",
        "to be announced",
        "Order ORD-20261001-AAAAAA (partly refunded)",
        PAY_URL,
        "only ever go to this inbox",
    ],
}
SUBJECT_WORDS = {
    T.ORDER_CONFIRMATION: "Your tickets for Hamlet",
    T.PAYMENT_LINK: "Complete your payment",
    T.PAYMENT_FAILED: "for Hamlet",
    T.ORDER_EXPIRED: "for Hamlet has expired",
    T.REFUND_DONE: "Your refund",
    T.REFUND_FAILED: "could not go back to your card",
    T.LATE_PAYMENT_REFUNDED: "refunded your payment for Hamlet",
    T.UNWANTED_PAYMENT_REFUNDED: "refunded your payment for Hamlet",
    T.PERFORMANCE_CANCELLED: "Cancelled: Hamlet",
    T.PERFORMANCE_CANCELLED_UNPAID: "Cancelled: Hamlet. Your order",
    T.PERFORMANCE_CANCELLED_AT_DESK: "Cancelled: Hamlet. Your refund",
    T.ORDER_LINKS: "links to your 2 orders",
}


def _html_text(fact: str) -> str:
    return fact.replace("'", "&#39;")  # Jinja's autoescape; no fact above has & < > or "


# --- templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("template", list(Template))
def test_every_template_renders_its_key_facts_in_subject_text_and_html(template: Template) -> None:
    mail = compose(template, context())

    assert (mail.to, mail.to_name) == ("ada@example.com", "Ada Lovelace")
    if template is not T.ORDER_LINKS:  # that one is about several orders
        assert ORDER in mail.subject
    assert SUBJECT_WORDS[template] in mail.subject
    assert "\n" not in mail.subject
    for body in (mail.text, mail.html):
        assert "Ada Lovelace" in body
        assert ORDER in body
        assert "{{" not in body
        assert "{%" not in body
    for fact in KEY_FACTS[template]:
        assert fact in mail.text, (template, fact)
        assert _html_text(fact) in mail.html, (template, fact)
    assert mail.html.startswith("<!DOCTYPE html>")
    assert f"<title>{mail.subject.replace(chr(39), '&#39;')}</title>" in mail.html
    tickets = Attachment(f"tickets-{ORDER}.pdf", "application/pdf", PDF)
    invitation = Attachment(f"{ORDER}.ics", "text/calendar", ICS)
    expected = (tickets, invitation) if template is T.ORDER_CONFIRMATION else ()
    assert mail.attachments == expected


def test_a_refund_of_an_amount_alone_says_the_tickets_stay_valid() -> None:
    """A goodwill refund that voids no ticket read "These tickets are cancelled…" over an empty
    list."""
    mail = compose(T.REFUND_DONE, context(voided_tickets=[], amount_minor=1000))
    for body in (mail.text, mail.html):
        assert "€10.00" in body
        assert "Your tickets stay valid" in body
        assert "are cancelled" not in body
    assert "Hamlet" in mail.subject  # which show it is about, in the inbox


def test_a_payment_that_could_not_be_set_up_is_not_offered_again() -> None:
    """Stripe refused to create the payment: the e-mail said "try again" and linked a checkout
    page that could only ever say "we are preparing your payment"."""
    reason = "the payment could not be set up: amount too large"
    mail = compose(T.PAYMENT_FAILED, context(reason=reason, payable=False))
    for body in (mail.text, mail.html):
        assert "couldn't set up the payment" in body
        assert "place a new order" in body
        assert "Try again" not in body
        assert PAY_URL not in body
        assert "amount too large" not in body  # the provider's words are for staff


def test_a_cancelled_free_desk_sale_is_not_told_of_a_refund_in_its_subject() -> None:
    mail = compose(T.PERFORMANCE_CANCELLED_AT_DESK, context(amount_minor=0))
    assert "refund" not in mail.subject.lower()
    assert "is cancelled" in mail.subject


@pytest.mark.parametrize("template", [T.REFUND_DONE, T.PERFORMANCE_CANCELLED])
def test_a_free_orders_refund_speaks_of_no_money_and_no_card(template: Template) -> None:
    """A 100 % coupon's order read "We're refunding €0.00 … back to the card you paid with"."""
    mail = compose(template, context(amount_minor=0, fully_refunded=True))
    for body in (mail.text, mail.html):
        assert "Nothing was paid" in body
        assert "€0.00" not in body
        assert "card" not in body
    assert "refund" not in mail.subject.lower()
    paid = compose(template, context(amount_minor=2500, fully_refunded=True))
    assert "€25.00" in paid.text
    assert "card you paid with" in paid.text


def test_a_full_refund_says_the_whole_order_is_refunded() -> None:
    mail = compose(T.REFUND_DONE, context(fully_refunded=True, amount_minor=12750))
    for body in (mail.text, mail.html):
        assert "€127.50" in body
        assert "The whole order is refunded" in body
        assert "other tickets stay valid" not in body


@pytest.mark.parametrize("template", list(Template))
def test_html_escapes_what_customers_typed_while_text_keeps_it(template: Template) -> None:
    name = 'Eve <script>alert("x")</script>'
    mail = compose(template, context(customer_name=name, event_name="Rock & <b>Roll</b>"))

    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in mail.html
    assert "<b>Roll</b>" not in mail.html
    assert name in mail.text
    assert mail.to_name == name


def test_a_missing_context_key_is_named() -> None:
    values = context()
    del values["payment_url"]
    with pytest.raises(MissingContext, match="payment_url"):
        compose(T.PAYMENT_FAILED, values)


def test_the_tickets_pdf_is_attached_up_to_the_limit_and_linked_above_it() -> None:
    at_limit = compose(T.ORDER_CONFIRMATION, context(calendar=None), max_attachment_bytes=len(PDF))
    assert at_limit.attachments == (Attachment(f"tickets-{ORDER}.pdf", "application/pdf", PDF),)
    assert TICKETS_URL not in at_limit.text

    above = compose(
        T.ORDER_CONFIRMATION,
        context(tickets_url=TICKETS_URL, calendar=None),
        max_attachment_bytes=len(PDF) - 1,
    )
    assert above.attachments == ()
    assert f"open your order to download them (PDF): {TICKETS_URL}" in above.text
    assert f'href="{TICKETS_URL}"' in above.html
    assert "attached" not in above.text + above.html
    with_calendar = compose(
        T.ORDER_CONFIRMATION, context(tickets_url=TICKETS_URL), max_attachment_bytes=len(PDF) - 1
    )
    # the invitation still goes: said so, where it was said only beside an attached PDF
    assert [a.filename for a in with_calendar.attachments] == [f"{ORDER}.ics"]
    for body in (with_calendar.text, with_calendar.html):
        assert f"A calendar invitation is attached ({ORDER}.ics)" in body

    # the default limit is 5 MiB
    assert DEFAULT_MAX_ATTACHMENT_BYTES == 5 * 1024 * 1024
    too_big = b"%PDF" + bytes(DEFAULT_MAX_ATTACHMENT_BYTES)
    linked = compose(
        T.ORDER_CONFIRMATION, context(tickets_pdf=too_big, tickets_url=TICKETS_URL, calendar=None)
    )
    assert linked.attachments == ()
    # without a PDF or with one too big, the link is what the customer gets: it must be there
    with pytest.raises(MissingContext, match="tickets_url"):
        compose(T.ORDER_CONFIRMATION, context(tickets_pdf=too_big))
    with pytest.raises(MissingContext, match="tickets_url"):
        compose(T.ORDER_CONFIRMATION, context(tickets_pdf=None))


@pytest.mark.parametrize(
    ("amount_minor", "currency", "shown"),
    [
        (2500, "EUR", "€25.00"),
        (123456789, "EUR", "€1,234,567.89"),
        (5, "usd", "$0.05"),
        (0, "GBP", "£0.00"),
        (5000, "JPY", "¥5,000"),
        (1234, "KWD", "1.234 KWD"),
        (995, "SEK", "9.95 SEK"),
        (150000, "KRW", "150,000 KRW"),
    ],
)
def test_money_is_shown_with_the_currencys_minor_units(
    amount_minor: int, currency: str, shown: str
) -> None:
    assert format_money(amount_minor, currency) == shown


# --- retries and de-duplication ----------------------------------------------------------------


def test_retry_delays_double_from_the_base_and_stop_at_the_cap() -> None:
    delays = [retry_delay_s(attempt, 5, 300) for attempt in range(1, 11)]
    assert delays == [5, 10, 20, 40, 80, 160, 300, 300, 300, 300]
    assert retry_delay_s(100_000, 5, 300) == 300  # no overflow however long it fails
    with pytest.raises(ValueError, match="from 1"):
        retry_delay_s(0, 5, 300)


def test_an_email_is_parked_once_its_attempts_are_used_up() -> None:
    assert [should_park(attempt, 10) for attempt in (1, 9, 10, 11)] == [False, False, True, True]


def test_one_key_per_event_and_template() -> None:
    keys = {notification_key(event, template) for event in ("e-1", "e-2") for template in T}
    assert len(keys) == 2 * len(T)
    assert notification_key("e-1", "refund_done") == notification_key("e-1", T.REFUND_DONE)
    with pytest.raises(ValueError, match="newsletter"):
        notification_key("e-1", "newsletter")
    with pytest.raises(ValueError, match="event"):
        notification_key("", T.REFUND_DONE)


# --- MIME --------------------------------------------------------------------------------------


def test_the_mime_message_has_text_and_html_alternatives_the_pdf_and_our_message_id() -> None:
    name = 'Zoë "Z" <script>'
    mail = compose(T.ORDER_CONFIRMATION, context(customer_name=name))

    message = to_email_message(mail, SENDER, "mail.example.com")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)

    assert parsed.get_content_type() == "multipart/mixed"
    alternative, pdf, ics = parsed.iter_parts()
    assert (ics.get_content_type(), ics.get_filename()) == ("text/calendar", f"{ORDER}.ics")
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == f"tickets-{ORDER}.pdf"
    assert pdf.get_content() == PDF
    assert str(parsed["Message-ID"]) == str(message["Message-ID"])
    assert str(parsed["Message-ID"]).endswith("@mail.example.com>")
    [recipient] = parsed["To"].addresses
    assert (recipient.display_name, recipient.addr_spec) == (name, "ada@example.com")
    assert parsed["From"] == SENDER
    assert parsed["Subject"] == mail.subject
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Date"]

    fresh = to_email_message(mail, SENDER, "mail.example.com")
    assert fresh["Message-ID"] != message["Message-ID"]
    stable = message_id_for(notification_key("e-1", T.ORDER_CONFIRMATION), "example.com")
    again = to_email_message(mail, SENDER, "example.com", message_id=stable)
    assert again["Message-ID"] == stable
    assert stable == message_id_for("e-1:order_confirmation", "example.com")
    assert stable != message_id_for("e-2:order_confirmation", "example.com")


ENCODED_LINE_BREAKS = "=?utf-8?q?Box_Office=0D=0ABcc=3A_x=40evil.example=0D=0A=0D=0Apay_here?="


def test_an_encoded_word_in_a_name_or_subject_adds_no_header_and_no_body() -> None:
    """CVE-2024-6923: the interpreter decodes an encoded-word while refolding a header and
    writes its CR LF raw; the name once became a Bcc header and the start of the body."""
    mail = compose(
        T.PAYMENT_FAILED,
        context(customer_name=ENCODED_LINE_BREAKS, event_name=ENCODED_LINE_BREAKS),
    )

    raw = to_email_message(mail, SENDER, "example.com").as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)

    assert b"Bcc" not in raw.split(b"\n\n")[0]
    assert "Bcc" not in parsed
    ours = ["From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "Content-Type"]
    assert sorted(parsed.keys()) == sorted([*ours, "MIME-Version"])
    [recipient] = parsed["To"].addresses
    assert recipient.addr_spec == "ada@example.com"
    shown = recipient.display_name.replace("\N{WORD JOINER}", "").replace(" ", "")
    assert shown == ENCODED_LINE_BREAKS.replace(" ", "")
    assert ENCODED_LINE_BREAKS in parsed["Subject"].replace("\N{WORD JOINER}", "")
    text, _html = parsed.iter_parts()
    assert "pay_here" not in text.get_content().split(ENCODED_LINE_BREAKS)[0]


def test_a_mail_without_attachments_is_just_the_two_alternatives() -> None:
    mail = OutgoingMail(to="a@example.com", subject="Hi", text="hi\n", html="<p>hi</p>\n")
    message = to_email_message(mail, SENDER, "example.com")
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"] == "a@example.com"


def test_settings_default_to_the_sink_and_the_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("TICKETING_")]:
        monkeypatch.delenv(name)
    settings = NotificationsSettings()

    assert (settings.smtp_host, settings.smtp_port) == ("127.0.0.1", DEFAULT_SMTP_PORT)
    assert settings.smtp_port == stack.SMTP_SINK_SMTP_PORT
    assert dict(stack.PROCESSES["notifications"].env)["TICKETING_SMTP_PORT"] == "28025"
    assert (settings.smtp_username, settings.smtp_password, settings.smtp_starttls) == (
        None,
        None,
        False,
    )
    assert settings.smtp_timeout_s > 0
    assert (settings.mail_from, settings.message_id_domain) == (SENDER, "example.com")
    assert settings.max_attachment_bytes == DEFAULT_MAX_ATTACHMENT_BYTES
    assert (settings.mail_retry_base_s, settings.mail_retry_cap_s) == (5, 300)
    assert settings.mail_max_attempts == 10
    assert settings.public_base_url == stack.EDGE_URL == "http://127.0.0.1:28080"

    monkeypatch.setenv("TICKETING_MAIL_FROM", "Box office <box@venue.example>")
    assert NotificationsSettings().message_id_domain == "venue.example"
    monkeypatch.setenv("TICKETING_MAIL_FROM", "the box office")
    with pytest.raises(ValidationError, match="not an e-mail address"):
        NotificationsSettings()


# --- sending over SMTP -------------------------------------------------------------------------


def _confirmation_to(address: str) -> EmailMessage:
    mail = compose(T.ORDER_CONFIRMATION, context(customer_email=address))
    return to_email_message(mail, SENDER, "example.com")


async def test_a_confirmation_sent_through_the_sink_arrives_with_its_message_id_and_pdf(
    sink: RunningSink,
) -> None:
    address = f"ada+{uuid.uuid4().hex[:8]}@example.com"
    message = _confirmation_to(address)

    message_id = await SmtpSender(HOST, sink.smtp_port, timeout_s=5).send(message)

    assert message_id == message["Message-ID"]
    [listed] = await sink.messages(to=address)
    assert listed["message_id"] == message_id
    assert listed["from"] == "tickets@example.com"
    assert listed["subject"] == f"Your tickets for Hamlet ({ORDER})"
    received = message_from_bytes(await sink.raw(listed["id"]), policy=policy.default)
    pdf, ics = received.iter_attachments()
    assert pdf.get_content() == PDF
    assert (ics.get_content_type(), ics.get_filename()) == ("text/calendar", f"{ORDER}.ics")
    assert ics.get_content().encode() == ICS
    html = received.get_body(preferencelist=("html",))
    assert html is not None
    assert "Saturday 21 November 2026, 20:00 CET" in html.get_content()


@pytest.mark.server
async def test_sending_to_a_stopped_sink_is_a_retryable_failure(tmp_path: Path) -> None:
    stopped = await asyncio.to_thread(start_sink, tmp_path / "mail", tmp_path / "sink.log")
    assert await asyncio.to_thread(stopped.stop) == 0

    with pytest.raises(MailDeliveryFailed) as failure:
        await SmtpSender(HOST, stopped.smtp_port, timeout_s=5).send(
            _confirmation_to("ada@example.com")
        )
    assert failure.value.retryable
    assert failure.value.smtp_code is None


class _ScriptedAnswers:
    """aiosmtpd handler answering by recipient: full@ → 452, gone@ → 550, data4@/data5@ at DATA."""

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("full@"):
            return "452 4.2.2 Mailbox full"
        if address.startswith("gone@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        if envelope.rcpt_tos[0].startswith("data4@"):
            return "451 4.3.0 Local problem, try later"
        if envelope.rcpt_tos[0].startswith("data5@"):
            return "554 5.6.0 Message content rejected"
        return "250 OK"


@pytest.fixture
async def scripted_smtp_port() -> AsyncIterator[int]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(_ScriptedAnswers(), hostname="scripted.local", loop=loop), HOST, 0
    )
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()


@pytest.mark.parametrize(
    ("recipient", "retryable", "code"),
    [
        ("full@example.com", True, 452),
        ("gone@example.com", False, 550),
        ("data4@example.com", True, 451),
        ("data5@example.com", False, 554),
    ],
)
async def test_4xx_answers_are_retryable_and_5xx_are_permanent(
    scripted_smtp_port: int, recipient: str, retryable: bool, code: int
) -> None:
    sender = SmtpSender(HOST, scripted_smtp_port, timeout_s=5)

    with pytest.raises(MailDeliveryFailed) as failure:
        await sender.send(_confirmation_to(recipient))

    assert (failure.value.retryable, failure.value.smtp_code) == (retryable, code)
    assert str(code) in str(failure.value)


async def test_the_scripted_server_takes_an_ordinary_recipient(scripted_smtp_port: int) -> None:
    message = _confirmation_to("ada@example.com")
    sent = await SmtpSender(HOST, scripted_smtp_port, timeout_s=5).send(message)
    assert sent == message["Message-ID"]


async def test_a_server_that_never_answers_times_out_retryably() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # never greets; waits until the client hangs up
        writer.close()

    server = await asyncio.start_server(silent, HOST, 0)
    try:
        port = int(server.sockets[0].getsockname()[1])
        with pytest.raises(MailDeliveryFailed) as failure:
            await SmtpSender(HOST, port, timeout_s=0.3).send(_confirmation_to("ada@example.com"))
    finally:
        server.close()
    assert failure.value.retryable
    assert "Timeout" in str(failure.value)


async def test_a_message_without_message_id_is_refused_before_any_connection() -> None:
    message = _confirmation_to("ada@example.com")
    del message["Message-ID"]
    with pytest.raises(ValueError, match="Message-ID"):
        await SmtpSender(HOST, 9, timeout_s=1).send(message)


def test_a_refund_of_a_box_office_sale_says_the_money_is_at_the_desk_not_on_a_card() -> None:
    """Cash is not given back to a card: a clerk's refund was handed over at the desk, and an
    automatic one (the seats could not be kept) is owed there."""
    handed = compose(T.REFUND_DONE, context(paid_at_desk=True))
    owed = compose(T.LATE_PAYMENT_REFUNDED, context(paid_at_desk=True))
    for mail in (handed, owed):
        for body in (mail.text, mail.html):
            assert "box office" in body
            assert "card you paid with" not in body
    assert "given back to you there" in handed.text
    assert "we will give it back to you there" in owed.text
    # a card payment, or a notification stored before the fact existed: the card, as before
    for template in (T.REFUND_DONE, T.LATE_PAYMENT_REFUNDED):
        assert "card you paid with" in compose(template, context(paid_at_desk=False)).text
        assert "card you paid with" in compose(template, context()).text


def test_a_time_in_a_zone_without_an_abbreviation_says_it_is_an_offset_from_utc() -> None:
    """São Paulo has no abbreviation: the e-mail read "20:00 -03", a bare number."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ticketing_notifications.adapters.mail_composer import _when

    evening = datetime(2026, 7, 4, 20, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    assert _when(evening) == "Saturday 4 July 2026, 20:00 UTC-03, Sao Paulo time"
    amsterdam = datetime(2026, 11, 21, 20, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert _when(amsterdam) == "Saturday 21 November 2026, 20:00 CET, Amsterdam time"
    chatham = datetime(2027, 2, 1, 20, 0, tzinfo=ZoneInfo("Pacific/Chatham"))  # read "UTC+1345"
    assert _when(chatham) == "Monday 1 February 2027, 20:00 UTC+13:45, Chatham time"
    # Etc/GMT-3 is three hours ahead: "GMT-3 time" would say the opposite
    plus_three = datetime(2027, 2, 1, 20, 0, tzinfo=ZoneInfo("Etc/GMT-3"))
    assert _when(plus_three) == "Monday 1 February 2027, 20:00 UTC+03"
    assert _when(datetime(2027, 2, 1, 20, 0, tzinfo=ZoneInfo("Etc/UTC"))).endswith("20:00 UTC")
    kolkata = datetime(2027, 2, 1, 19, 30, tzinfo=ZoneInfo("Asia/Kolkata"))  # not Ireland's IST
    assert _when(kolkata).endswith("19:30 IST, Kolkata time")
