"""PDF tickets: Jinja2 fills the HTML template, segno draws the QR code, WeasyPrint lays it out.

Several orders can share one layout (``render_orders``): the per-document cost (style cascade,
fonts, the PDF itself) is then paid once, and the result is cut into each order's PDF and each
ticket's. Every page is checked to hold exactly the ticket it is cut for, so a ticket that
spills onto a second page can never hand one customer's page to another.

Rendering is CPU-bound and synchronous. The ``*_async`` functions run it in a worker thread so
that the event loop keeps serving; one lock lets a single WeasyPrint render run at a time,
because Pango and fontconfig underneath are not documented as safe across threads (and the
GIL would serialise most of the work anyway: more throughput means more processes).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from ticketing_documents.adapters.pdf_pages import PdfInfo, cut_pages
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


class TicketLayoutError(ValueError):
    """A ticket did not come out as exactly one page (e.g. a name too long for the page)."""


@dataclass(frozen=True)
class RenderedOrder:
    order: OrderDocument
    pdf: bytes  # all the order's tickets, one page each
    ticket_pdfs: tuple[bytes, ...]  # one PDF per ticket, in the order's order


def render_order_pdf(doc: OrderDocument) -> bytes:
    """Every ticket of the order in one PDF, one page each (far cheaper than one PDF each)."""
    return html_to_pdf(order_html(doc))


def render_orders(docs: Sequence[OrderDocument]) -> list[RenderedOrder]:
    """The tickets of all ``docs`` laid out as one document, then cut per order and per ticket.

    Raises ``TicketLayoutError`` if any page does not hold exactly its ticket (the caller can
    then render the orders one by one to find the one that does not fit)."""
    pages = [(doc, ticket) for doc in docs for ticket in doc.tickets]
    if not pages:
        raise ValueError("no ticket to render")
    with _render_lock:
        laid_out = _html_document(pages_html(pages)).render(stylesheets=[_stylesheet])
        found = [set(page.anchors) for page in laid_out.pages]
        expected = [{ticket_anchor(ticket)} for _, ticket in pages]
        if found != expected:
            raise TicketLayoutError(
                f"{len(found)} pages for {len(expected)} tickets, or out of place"
            )
        pdf: bytes = laid_out.write_pdf()
    cut = cut_pages(pdf, [(len(doc.tickets), _pdf_info(doc)) for doc in docs])
    return [
        RenderedOrder(order=doc, pdf=order_pdf, ticket_pdfs=tuple(ticket_pdfs))
        for doc, (order_pdf, ticket_pdfs) in zip(docs, cut, strict=True)
    ]


async def render_orders_async(docs: Sequence[OrderDocument]) -> list[RenderedOrder]:
    return await asyncio.to_thread(render_orders, docs)


def order_html(doc: OrderDocument) -> str:
    """The HTML of the order's pages, one per ticket; every field is escaped."""
    if not doc.tickets:
        raise ValueError(f"order {doc.order_id} has no ticket to render")
    return pages_html([(doc, ticket) for ticket in doc.tickets])


def pages_html(pages: Sequence[tuple[OrderDocument, TicketFace]]) -> str:
    """One page per (order, ticket); every field is escaped."""
    orders: dict[str, dict[str, Any]] = {}
    views = []
    for doc, ticket in pages:
        if doc.order_id not in orders:
            orders[doc.order_id] = _order_view(doc)
        position = doc.tickets.index(ticket) + 1
        views.append({"order": orders[doc.order_id], "ticket": _ticket_view(ticket, position)})
    title_order = next(iter(orders.values())) if len(orders) == 1 else None
    return _templates.get_template("ticket.html.j2").render(pages=views, title_order=title_order)


def ticket_anchor(ticket: TicketFace) -> str:
    return f"ticket-{ticket.ticket_id}"


def _order_view(doc: OrderDocument) -> dict[str, Any]:
    local = local_starts_at(doc.starts_at, doc.time_zone)
    return {
        "order_number": doc.order_number,
        "event_name": doc.event_name,
        "venue_name": doc.venue_name,
        "venue_address": doc.venue_address,
        "date_text": start_date_text(local),
        "time_text": start_time_text(local),
        "time_zone": doc.time_zone,
        "ticket_count": len(doc.tickets),
    }


def _pdf_info(doc: OrderDocument) -> PdfInfo:
    """What the order's own PDF says about itself, as WeasyPrint writes it from the template."""
    return PdfInfo(
        title=f"Tickets {doc.order_number} \N{EN DASH} {doc.event_name}", author=doc.venue_name
    )


def html_to_pdf(html: str) -> bytes:
    """Lay out ``html`` with the ticket stylesheet; only the templates folder can be fetched."""
    with _render_lock:
        pdf: bytes = _html_document(html).write_pdf(stylesheets=[_stylesheet])
    return pdf


def _html_document(html: str) -> HTML:
    return HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=_fetcher)


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
        "anchor": ticket_anchor(ticket),
        "position": position,  # in the whole order, also when printed alone
        "ticket_number": ticket.ticket_number,
        "holder_name": ticket.holder_name,
        "tier_name": ticket.tier_name,
        "seat_text": seat_text(ticket.seat),
        "price_text": price_text(ticket.price) if ticket.price else None,
        "secret_lines": code_lines(ticket.secret),
        "qr_png": qr_png_data_uri(ticket.secret),
    }
