"""Templates to ``OutgoingMail`` (Jinja2, shipped in the package), and ``OutgoingMail`` to MIME.

Each template needs the context keys in ``REQUIRED_CONTEXT``. Datetimes are shown in their own
time zone, so the caller passes them in the venue's zone. ``order_confirmation`` also takes
``tickets_pdf`` (bytes): attached when it fits ``max_attachment_bytes``; otherwise, or when there
is no PDF, ``tickets_url`` is required and the e-mail links to it instead; and ``calendar``
(iCalendar bytes), attached as ``<order number>.ics`` when given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ticketing_notifications.domain.mail import Attachment, OutgoingMail, fits_as_attachment
from ticketing_notifications.domain.money import format_money
from ticketing_notifications.domain.notification import Template

DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

_ABOUT_THE_ORDER = frozenset({"customer_name", "customer_email", "order_number", "event_name"})
_REFUNDED = frozenset({"amount_minor", "currency"})
REQUIRED_CONTEXT: Mapping[Template, frozenset[str]] = {
    Template.ORDER_CONFIRMATION: _ABOUT_THE_ORDER
    | {"starts_at", "tickets_count", "venue_line", "ticket_lines", "total_minor", "currency"}
    | {"order_url"},
    Template.PAYMENT_LINK: _ABOUT_THE_ORDER
    | {"payment_url", "payment_deadline", "amount_minor", "currency"},
    Template.PAYMENT_FAILED: _ABOUT_THE_ORDER | {"reason", "payment_url", "payment_deadline"},
    Template.ORDER_EXPIRED: _ABOUT_THE_ORDER,
    Template.REFUND_DONE: _ABOUT_THE_ORDER | _REFUNDED | {"voided_tickets", "fully_refunded"},
    Template.REFUND_FAILED: _ABOUT_THE_ORDER | _REFUNDED,
    Template.LATE_PAYMENT_REFUNDED: _ABOUT_THE_ORDER | _REFUNDED,
    Template.UNWANTED_PAYMENT_REFUNDED: _ABOUT_THE_ORDER | _REFUNDED,
    Template.PERFORMANCE_CANCELLED: _ABOUT_THE_ORDER | _REFUNDED | {"starts_at"},
    Template.PERFORMANCE_CANCELLED_UNPAID: _ABOUT_THE_ORDER | {"starts_at"},
    Template.PERFORMANCE_CANCELLED_AT_DESK: _ABOUT_THE_ORDER | _REFUNDED | {"starts_at"},
    Template.ORDER_LINKS: frozenset({"customer_name", "customer_email", "orders"}),
}


class MissingContext(ValueError):
    def __init__(self, template: Template, missing: set[str] | frozenset[str]) -> None:
        super().__init__(f"template {template} needs {', '.join(sorted(missing))}")
        self.template, self.missing = template, frozenset(missing)


def compose(
    template: Template,
    context: Mapping[str, Any],
    *,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
) -> OutgoingMail:
    missing = REQUIRED_CONTEXT[template] - context.keys()
    if missing:
        raise MissingContext(template, missing)
    variables = dict(context)
    attachments: tuple[Attachment, ...] = ()
    if template is Template.ORDER_CONFIRMATION:
        attachments = _attach_tickets_or_link(variables, max_attachment_bytes)
        attachments += _attach_calendar(variables)
    environment = _environment()
    subject = _one_line(environment.get_template(f"{template}.subject.j2").render(variables))
    variables["subject"] = subject
    return OutgoingMail(
        to=str(context["customer_email"]),
        to_name=_one_line(str(context["customer_name"])),
        subject=subject,
        text=environment.get_template(f"{template}.txt.j2").render(variables),
        html=environment.get_template(f"{template}.html.j2").render(variables),
        attachments=attachments,
    )


def to_email_message(
    mail: OutgoingMail,
    sender: str,
    message_id_domain: str,
    *,
    message_id: str | None = None,
) -> EmailMessage:
    """multipart/mixed: multipart/alternative (text, then HTML) and the attachments.

    The Message-ID is ``message_id`` when given (see ``message_id_for``), else a fresh one;
    read it back from ``message["Message-ID"]`` (``SmtpSender.send`` returns it too).
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=_inert(mail.to_name), addr_spec=mail.to)
    message["Subject"] = _inert(mail.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id or make_msgid(domain=message_id_domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders stay quiet
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def _inert(header_text: str) -> str:
    """The text with every ``=?`` split by a word joiner (U+2060), so that it reads the same but
    holds no RFC 2047 encoded-word. Python before 3.11.10 decodes such a word while it refolds
    a header and writes the CR LF inside it as is (CVE-2024-6923): a customer's name could have
    added headers, or a whole body, to an e-mail sent from the venue's address."""
    return header_text.replace("=?", "=\N{WORD JOINER}?")


def message_id_for(notification_key: str, domain: str) -> str:
    """The same Message-ID for every try of one notification, so a retry after an answer that
    never reached us is recognisable as the same e-mail (mail clients thread or drop it)."""
    digest = hashlib.sha256(notification_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def _attach_tickets_or_link(variables: dict[str, Any], max_bytes: int) -> tuple[Attachment, ...]:
    pdf: bytes | None = variables.get("tickets_pdf")
    filename = f"tickets-{variables['order_number']}.pdf"
    if pdf is not None and fits_as_attachment(len(pdf), max_bytes):
        variables.update(tickets_attached=True, attachment_filename=filename)
        return (Attachment(filename, "application/pdf", bytes(pdf)),)
    if not variables.get("tickets_url"):
        raise MissingContext(Template.ORDER_CONFIRMATION, {"tickets_url"})
    variables.update(tickets_attached=False, attachment_filename=None)
    return ()


def _attach_calendar(variables: dict[str, Any]) -> tuple[Attachment, ...]:
    """``calendar`` (iCalendar bytes), when given, goes along as ``<order number>.ics``."""
    calendar: bytes | None = variables.get("calendar")
    filename = f"{variables['order_number']}.ics"
    variables.update(calendar_attached=calendar is not None, calendar_filename=filename)
    if calendar is None:
        return ()
    return (Attachment(filename, "text/calendar", bytes(calendar)),)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("ticketing_notifications", "templates"),
        # HTML escapes every value (customer names, event names); text and subjects do not
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["money"] = format_money
    environment.filters["when"] = _when
    environment.filters["plural"] = _plural
    return environment


def _when(moment: datetime | None) -> str:
    """``Saturday 21 November 2026, 20:00 CET, Amsterdam time``, in the moment's own time zone,
    named, since an abbreviation can mean several (IST: India, Ireland, Israel); unknown: to be
    announced (a mail is never refused for it)."""
    if moment is None:
        return "to be announced"
    zone = moment.tzname()
    shown = f"{moment:%A} {moment.day} {moment:%B %Y, %H:%M}"
    if zone and zone[0] in "+-":  # no abbreviation (São Paulo "-03", Chatham "+1345")
        zone = f"UTC{zone[:3]}:{zone[3:]}" if len(zone) == 5 else f"UTC{zone}"
    key = getattr(moment.tzinfo, "key", None)
    if key and "/" in key and not key.startswith("Etc/") and zone:
        zone = f"{zone}, {key.rsplit('/', 1)[1].replace('_', ' ')} time"
    return f"{shown} {zone}" if zone else shown


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _one_line(text: str) -> str:
    # a header never spans lines: a stray newline in a name must not end the header
    return " ".join(text.split())
