"""PDF tickets: Jinja2 fills the HTML template, segno draws the QR code, WeasyPrint lays it out.

Rendering is CPU-bound and synchronous. The ``*_async`` functions run it in a worker thread so
that the event loop keeps serving; one lock lets a single WeasyPrint render run at a time,
because Pango and fontconfig underneath are not documented as safe across threads (and the
GIL would serialise most of the work anyway: more throughput means more processes).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from ticketing_documents.domain.ticket_document import (
    OrderDocument,
    TicketFace,
    code_lines,
    local_starts_at,
    price_text,
    seat_text,
    start_date_text,
    start_time_text,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
QR_ERROR_CORRECTION = "m"  # M: survives ~15 % damage (a fold, a scratched phone screen)
# Any mask is a valid QR code; choosing the "best" one costs segno ~16 ms a ticket (8 trial
# encodings), more than the rest of the page's HTML. Scanners read every mask.
QR_MASK = 0
QR_DATA_URI = "data:image/png;base64,"


class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no type hints
    """Fetches files inside the templates folder and nothing else: no network, no other file.

    Every field of a ticket comes from customers or organisers; even escaped, a renderer that
    follows URLs is a server-side request forgery waiting for a template change.
    """

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith(QR_DATA_URI):  # the QR codes we drew ourselves, nothing else inline
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url!r}: only the templates folder is served")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(TEMPLATES):
            raise ValueError(f"refused to fetch {url!r}: outside the templates folder")
        return super().fetch(url, headers)


_fetcher = TemplatesOnlyFetcher(allowed_protocols=["file", "data"])
_templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,  # always: the template is not named *.html, so select_autoescape would miss it
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_stylesheet = CSS(filename=TEMPLATES / "ticket.css", url_fetcher=_fetcher)
_render_lock = threading.Lock()


def render_order_pdf(doc: OrderDocument) -> bytes:
    """Every ticket of the order in one PDF, one page each (far cheaper than one PDF each)."""
    return html_to_pdf(order_html(doc, doc.tickets))


def render_ticket_pdf(doc: OrderDocument, ticket_id: str) -> bytes:
    """One ticket of the order as its own PDF; ``KeyError`` if the order has no such ticket."""
    return html_to_pdf(order_html(doc, (doc.ticket(ticket_id),)))


async def render_order_pdf_async(doc: OrderDocument) -> bytes:
    return await asyncio.to_thread(render_order_pdf, doc)


async def render_ticket_pdf_async(doc: OrderDocument, ticket_id: str) -> bytes:
    return await asyncio.to_thread(render_ticket_pdf, doc, ticket_id)


def order_html(doc: OrderDocument, tickets: tuple[TicketFace, ...]) -> str:
    """The HTML of the pages of ``tickets`` (all from ``doc``); every field is escaped."""
    if not tickets:
        raise ValueError(f"order {doc.order_id} has no ticket to render")
    local = local_starts_at(doc.starts_at, doc.time_zone)
    order = {
        "order_number": doc.order_number,
        "event_name": doc.event_name,
        "venue_name": doc.venue_name,
        "venue_address": doc.venue_address,
        "date_text": start_date_text(local),
        "time_text": start_time_text(local),
        "time_zone": doc.time_zone,
        "ticket_count": len(doc.tickets),
    }
    faces = [_ticket_view(ticket, doc.tickets.index(ticket) + 1) for ticket in tickets]
    return _templates.get_template("ticket.html.j2").render(order=order, tickets=faces)


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` with the ticket stylesheet; only the templates folder can be fetched."""
    document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=_fetcher)
    with _render_lock:
        pdf: bytes = document.write_pdf(stylesheets=[_stylesheet])
    return pdf


def qr_code(secret: str) -> segno.QRCode:
    return segno.make(
        secret, error=QR_ERROR_CORRECTION, micro=False, boost_error=False, mask=QR_MASK
    )


def qr_png_data_uri(secret: str) -> str:
    """The QR code of ``secret`` as a PNG of one pixel per module (with the 4-module quiet zone),
    scaled up by the stylesheet without smoothing: a third cheaper to lay out than SVG."""
    uri: str = qr_code(secret).png_data_uri(scale=1, border=4)
    return uri


def _ticket_view(ticket: TicketFace, position: int) -> dict[str, Any]:
    return {
        "position": position,  # in the whole order, also when printed alone
        "ticket_number": ticket.ticket_number,
        "holder_name": ticket.holder_name,
        "tier_name": ticket.tier_name,
        "seat_text": seat_text(ticket.seat),
        "price_text": price_text(ticket.price) if ticket.price else None,
        "secret_lines": code_lines(ticket.secret),
        "qr_png": qr_png_data_uri(ticket.secret),
    }
