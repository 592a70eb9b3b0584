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
from markupsafe import Markup
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


class TemplatesOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no type hints
    """Fetches files inside the templates folder and nothing else: no network, no other file.

    Every field of a ticket comes from customers or organisers; even escaped, a renderer that
    follows URLs is a server-side request forgery waiting for a template change.
    """

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url!r}: only the templates folder is served")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(TEMPLATES):
            raise ValueError(f"refused to fetch {url!r}: outside the templates folder")
        return super().fetch(url, headers)


_fetcher = TemplatesOnlyFetcher(allowed_protocols=["file"])
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
    return segno.make(secret, error=QR_ERROR_CORRECTION, micro=False, boost_error=False)


def qr_svg(secret: str) -> str:
    """The QR code of ``secret`` as inline SVG, sized by the stylesheet (no width or height)."""
    svg: str = qr_code(secret).svg_inline(border=4, omitsize=True)  # 4: the quiet zone
    return svg


def _ticket_view(ticket: TicketFace, position: int) -> dict[str, Any]:
    return {
        "position": position,  # in the whole order, also when printed alone
        "ticket_number": ticket.ticket_number,
        "holder_name": ticket.holder_name,
        "tier_name": ticket.tier_name,
        "seat_text": seat_text(ticket.seat),
        "price_text": price_text(ticket.price) if ticket.price else None,
        "secret_lines": code_lines(ticket.secret),
        # segno writes only path data, never our text: safe to insert unescaped
        "qr_svg": Markup(qr_svg(ticket.secret)),
    }
