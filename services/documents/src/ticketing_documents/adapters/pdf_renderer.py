"""PDF tickets: Jinja2 fills the HTML template, zxing-cpp draws the QR code, WeasyPrint lays it out.

WeasyPrint lays out a ticket's static face (event, venue, date and time, the whole design) once
per face and keeps it (``_faces``, keyed on a hash of the template and everything the face
shows); each ticket's own fields and its QR code are then stamped onto a copy of that page at
the places the layout gave their slots, in the same fonts (``ticket_faces``, ``ticket_stamps``).
An order with a field that cannot be stamped as WeasyPrint would draw it (too wide for its slot,
a script that needs shaping, a glyph the font lacks) is laid out in full instead.

Orders laid out in full can share one layout: the per-document cost (style cascade, fonts, the
PDF itself) is then paid once, and the result is cut into each order's PDF and each ticket's.
Every page is checked to hold exactly the ticket it is cut for, so a ticket that spills onto a
second page can never hand one customer's page to another.

Rendering is CPU-bound and synchronous. The ``*_async`` functions run it in a worker thread so
that the event loop keeps serving; one lock lets a single WeasyPrint render run at a time,
because Pango and fontconfig underneath are not documented as safe across threads (and the
GIL would serialise most of the work anyway: more throughput means more processes).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from ticketing_documents.adapters.pdf_pages import Bitmap, PdfInfo, Sheet, cut_pages, stamp_and_cut
from ticketing_documents.adapters.qr_codes import png, qr_code
from ticketing_documents.adapters.ticket_faces import FaceLayout, FaceLayoutError, face_layout
from ticketing_documents.adapters.ticket_stamps import Stamp, fits, text_content
from ticketing_documents.domain.ticket_document import (
    OrderDocument,
    TicketFace,
    local_starts_at,
    price_text,
    seat_text,
    start_date_text,
    start_time_text,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
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
# a face's own layout: every ticket field hidden (its box kept), so that only the design prints
_face_stylesheet = CSS(string="[data-slot] { visibility: hidden }")
_DESIGN = hashlib.sha256(
    b"".join((TEMPLATES / name).read_bytes() for name in ("ticket.html.j2", "ticket.css"))
).hexdigest()
FACE_CACHE_SIZE = 256  # faces kept (one per performance and shape of ticket); ~40 kB each
_faces: OrderedDict[str, FaceLayout | None] = OrderedDict()  # None: this face cannot be stamped
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
    """The tickets of all ``docs``, each order's in one PDF and each ticket's in one of its own:
    stamped on their cached faces, or (an order that cannot be stamped) all laid out together.

    Raises ``TicketLayoutError`` if any page laid out does not hold exactly its ticket (the
    caller can then render the orders one by one to find the one that does not fit)."""
    if not any(doc.tickets for doc in docs):
        raise ValueError("no ticket to render")
    with _render_lock:
        planned = [(doc, _stamps(doc)) for doc in docs]
        stamped = [(doc, stamps) for doc, stamps in planned if stamps is not None]
        laid_out = [doc for doc, stamps in planned if stamps is None]
        done = {id(r.order): r for r in _render_stamped(stamped)}
        done.update((id(r.order), r) for r in _render_laid_out(laid_out))
    return [done[id(doc)] for doc in docs]


def _render_laid_out(docs: Sequence[OrderDocument]) -> list[RenderedOrder]:
    pages = [(doc, ticket) for doc in docs for ticket in doc.tickets]
    if not pages:
        return []
    laid_out = _html_document(pages_html(pages)).render(stylesheets=[_stylesheet])
    found = [set(page.anchors) for page in laid_out.pages]
    expected = [{ticket_anchor(ticket)} for _, ticket in pages]
    if found != expected:
        raise TicketLayoutError(f"{len(found)} pages for {len(expected)} tickets, or out of place")
    pdf: bytes = laid_out.write_pdf()
    cut = cut_pages(pdf, [(len(doc.tickets), _pdf_info(doc)) for doc in docs])
    return _rendered(docs, cut)


def _render_stamped(planned: Sequence[tuple[OrderDocument, list[Stamp]]]) -> list[RenderedOrder]:
    stamps = [stamp for _, order_stamps in planned for stamp in order_stamps]
    if not stamps:
        return []
    docs = [doc for doc, _ in planned]
    tickets = (ticket for doc in docs for ticket in doc.tickets)
    sheets = [_sheet(stamp, ticket) for stamp, ticket in zip(stamps, tickets, strict=True)]
    parts = [(len(doc.tickets), _pdf_info(doc)) for doc in docs]
    return _rendered(docs, stamp_and_cut(sheets, parts))


def _sheet(stamp: Stamp, ticket: TicketFace) -> Sheet:
    text, fonts = text_content(stamp)
    return Sheet(
        face=stamp.face.pdf,
        text=text,
        fonts=fonts,
        bitmap=_qr_bitmap(ticket.secret, stamp.face),
    )


def _rendered(
    docs: Sequence[OrderDocument], cut: Sequence[tuple[bytes, list[bytes]]]
) -> list[RenderedOrder]:
    return [
        RenderedOrder(order=doc, pdf=order_pdf, ticket_pdfs=tuple(ticket_pdfs))
        for doc, (order_pdf, ticket_pdfs) in zip(docs, cut, strict=True)
    ]


def _stamps(doc: OrderDocument) -> list[Stamp] | None:
    """What to stamp on each ticket of ``doc``, or None if one of them cannot be stamped."""
    stamps = []
    for position, ticket in enumerate(doc.tickets, start=1):
        fields = ticket_fields(doc, ticket, position)
        face = _face(doc, fields)
        lines = {name: _lines(value) for name, value in fields.items() if value is not None}
        if face is None or set(lines) != set(face.text):
            return None
        for name, slots in face.text.items():
            if not all(fits(slot, line) for slot, line in zip(slots, lines[name], strict=True)):
                return None
        stamps.append(Stamp(face=face, lines=lines))
    return stamps


def _lines(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value


def _face(doc: OrderDocument, fields: dict[str, Any]) -> FaceLayout | None:
    """The face of a ticket of ``doc`` with ``fields``' shape, laid out once and kept."""
    view = {"order": _order_view(doc), "ticket": _face_stand_ins(fields)}
    view["order"]["order_number"] = ""  # the title's: each order's PDF gets its own
    key = hashlib.sha256(json.dumps([_DESIGN, view], sort_keys=True).encode()).hexdigest()
    if key in _faces:
        _faces.move_to_end(key)
        return _faces[key]
    face = _lay_out_face(
        _templates.get_template("ticket.html.j2").render(pages=[view], title_order=None)
    )
    _faces[key] = face
    if len(_faces) > FACE_CACHE_SIZE:
        _faces.popitem(last=False)
    return face


def _face_stand_ins(fields: dict[str, Any]) -> dict[str, Any]:
    """One line of stand-in text per field (the layout of the real ones when each fits its
    line: ``_stamps`` checks that), no line for a field the ticket does not print."""
    ins: dict[str, Any] = {name: None if value is None else "X" for name, value in fields.items()}
    return {**ins, "anchor": "face", "qr_png": _STAND_IN_QR}


def _lay_out_face(html: str) -> FaceLayout | None:
    laid_out = _html_document(html).render(stylesheets=[_stylesheet, _face_stylesheet])
    if len(laid_out.pages) != 1:
        return None  # the static face alone fills more than a page: laid out in full, refused
    try:
        return face_layout(laid_out.pages[0], laid_out.write_pdf())
    except FaceLayoutError:
        return None


def _qr_bitmap(secret: str, face: FaceLayout) -> Bitmap:
    """The QR code as the template draws it: one pixel per module, the quiet zone included."""
    code, qr = qr_code(secret), face.qr
    return Bitmap(side=code.side, pixels=code.pixels, rect=(qr.x, qr.y, qr.width, qr.height))


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
        views.append({"order": orders[doc.order_id], "ticket": _ticket_view(doc, ticket, position)})
    title_order = next(iter(orders.values())) if len(orders) == 1 else None
    return _templates.get_template("ticket.html.j2").render(pages=views, title_order=title_order)


def ticket_anchor(ticket: TicketFace) -> str:
    return f"ticket-{ticket.ticket_id}"


def _order_view(doc: OrderDocument) -> dict[str, Any]:
    local = local_starts_at(doc.starts_at, doc.time_zone)
    return {
        "order_number": doc.order_number,  # the title's; the pages print the ticket's field
        "event_name": doc.event_name,
        "venue_name": doc.venue_name,
        "venue_address": doc.venue_address,
        "date_text": start_date_text(local),
        "time_text": start_time_text(local),
        "time_zone": doc.time_zone,
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


def qr_png_data_uri(secret: str) -> str:
    """The QR code of ``secret`` as a PNG of one pixel per module (with the 4-module quiet zone),
    scaled up by the stylesheet without smoothing: a third cheaper to lay out than SVG."""
    return QR_DATA_URI + base64.b64encode(png(qr_code(secret))).decode()


def _ticket_view(doc: OrderDocument, ticket: TicketFace, position: int) -> dict[str, Any]:
    return {
        "anchor": ticket_anchor(ticket),
        **ticket_fields(doc, ticket, position),
        "qr_png": qr_png_data_uri(ticket.secret),
    }


def ticket_fields(doc: OrderDocument, ticket: TicketFace, position: int) -> dict[str, Any]:
    """The ticket's own fields, by the name of their ``data-slot`` in the template: the text of
    each (a tuple: its lines), ``None`` for a field the ticket does not print."""
    return {
        # its place in the whole order, also when printed alone
        "kicker": f"Ticket {position} of {len(doc.tickets)}",
        "ticket_number": ticket.ticket_number,
        "order_number": doc.order_number,
        "holder_name": ticket.holder_name,
        "tier_name": ticket.tier_name,
        "seat_text": seat_text(ticket.seat),
        "price_text": price_text(ticket.price) if ticket.price else None,
        "manual_code": ticket.fallback_text,  # typed at the door; the secret is only in the QR
    }


_STAND_IN_QR = qr_png_data_uri("face")  # hidden on a face: only its box counts
