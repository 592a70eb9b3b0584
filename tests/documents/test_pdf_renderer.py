"""PDF tickets read back as a person (poppler's text) and a door scanner (zbar on a 150 dpi
raster) would read them."""

from __future__ import annotations

import asyncio
import base64
import http.server
import io
import re
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tests.documents.pdf_tools import page_count, page_texts, scanned_codes
from tests.documents.samples import TRICKY_NAME, order_document
from ticketing_documents.adapters import pdf_renderer, qr_codes
from ticketing_documents.adapters.pdf_renderer import (
    TEMPLATES,
    TemplatesOnlyFetcher,
    TicketLayoutError,
    html_to_pdf,
    render_order_pdf,
    render_orders,
    render_orders_async,
)
from ticketing_documents.domain.ticket_document import OrderDocument
from ticketing_runtime.ids import new_id

SEATED_ORDER = order_document(3, holder_name=TRICKY_NAME)


@pytest.fixture(scope="module")
def order_pdf() -> bytes:
    return render_order_pdf(SEATED_ORDER)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_order_pdf_has_one_page_per_ticket(order_pdf: bytes) -> None:
    assert order_pdf.startswith(b"%PDF-")
    assert page_count(order_pdf) == 3


def test_each_page_prints_what_the_door_and_the_holder_need(order_pdf: bytes) -> None:
    pages = page_texts(order_pdf)
    for ticket, text in zip(SEATED_ORDER.tickets, pages, strict=True):
        assert SEATED_ORDER.event_name in text
        assert SEATED_ORDER.venue_name in text
        assert SEATED_ORDER.order_number in text
        assert ticket.ticket_number in text
        assert ticket.tier_name in text
        assert TRICKY_NAME in text  # escaped in the HTML, so printed literally
        # the number to type when the QR code cannot be scanned; the signed secret is only in
        # the QR code (~150 characters nobody types right at a door)
        typed = re.search(r"door staff type this ticket number:\s+(\S+)", text, re.IGNORECASE)
        assert typed is not None
        assert typed.group(1) == ticket.ticket_number
        assert _flat(ticket.secret) not in _flat(text)
        assert ticket.secret[:24] not in text
    assert "General admission" in pages[0]
    assert "Section A · Row 3 · Seat 13" in pages[1]
    assert "Section A · Row 3 · Seat 14" in pages[2]
    assert "EUR 45.00" in pages[1]
    assert "EUR" not in pages[0]  # no price given: none printed


def test_the_start_is_printed_on_the_venues_clock_not_utc(order_pdf: bytes) -> None:
    text = page_texts(order_pdf)[0]
    assert "Saturday 14 March 2026" in text
    assert "19:30 CET" in text
    assert "Europe/Berlin" in text
    assert "18:30" not in text


def test_each_page_scans_to_exactly_its_tickets_secret(order_pdf: bytes) -> None:
    assert scanned_codes(order_pdf) == [[ticket.secret] for ticket in SEATED_ORDER.tickets]


def test_a_general_admission_order_prints_general_admission() -> None:
    pdf = render_order_pdf(order_document(2, seated=False))
    assert all("General admission" in text for text in page_texts(pdf))
    assert all("Section" not in text for text in page_texts(pdf))


def test_one_ticket_alone_is_a_one_page_pdf_of_that_ticket() -> None:
    wanted = SEATED_ORDER.tickets[1]
    [rendered] = render_orders([SEATED_ORDER])
    pdf = rendered.ticket_pdfs[1]
    assert page_count(pdf) == 1
    [text] = page_texts(pdf)
    assert wanted.ticket_number in text
    assert "ticket 2 of 3" in text.lower()  # its place in the order, not in this one-page PDF
    assert SEATED_ORDER.tickets[0].ticket_number not in text
    assert scanned_codes(pdf) == [[wanted.secret]]
    with pytest.raises(KeyError):
        SEATED_ORDER.ticket("tkt_of_another_order")


def test_an_order_without_tickets_is_refused() -> None:
    empty = OrderDocument(**{**SEATED_ORDER.__dict__, "tickets": ()})
    with pytest.raises(ValueError, match="no ticket"):
        render_order_pdf(empty)


def test_orders_laid_out_together_are_cut_into_each_orders_pdf_and_each_tickets() -> None:
    first = order_document(2, order_number="ORD-20260314-AAAAAA", holder_name="Ada Lovelace")
    second = order_document(3, order_number="ORD-20260314-BBBBBB", holder_name="Grace Hopper")
    rendered = render_orders([first, second])

    assert [r.order for r in rendered] == [first, second]
    for result, holder in zip(rendered, ("Ada Lovelace", "Grace Hopper"), strict=True):
        doc = result.order
        texts = page_texts(result.pdf)
        assert len(texts) == len(doc.tickets)
        assert all(doc.order_number in t and holder in t for t in texts)
        assert scanned_codes(result.pdf) == [[t.secret] for t in doc.tickets]
        info, alone = (
            PdfReader(io.BytesIO(pdf)).metadata for pdf in (result.pdf, render_order_pdf(doc))
        )
        assert info is not None
        assert alone is not None
        assert (info.title, info.author) == (alone.title, alone.author)  # as if rendered alone
        assert doc.order_number in str(info.title)
        assert len(result.ticket_pdfs) == len(doc.tickets)
        for position, (ticket, pdf) in enumerate(zip(doc.tickets, result.ticket_pdfs, strict=True)):
            [text] = page_texts(pdf)
            assert ticket.ticket_number in text
            assert f"ticket {position + 1} of {len(doc.tickets)}" in text.lower()
            assert scanned_codes(pdf) == [[ticket.secret]]


def test_a_ticket_that_does_not_fit_one_page_stops_the_cut() -> None:
    fits = order_document(1, order_number="ORD-20260314-AAAAAA")
    spills = order_document(1, event_name="Gala " * 900, order_number="ORD-20260314-BBBBBB")
    with pytest.raises(TicketLayoutError):
        render_orders([fits, spills])
    assert len(render_orders([fits])) == 1  # alone, the order that fits renders


async def test_the_async_renderers_leave_the_event_loop_free() -> None:
    ticks = 0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    running = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    ticks = 0
    # a face never seen before: laid out by WeasyPrint (hundreds of milliseconds), then stamped
    [rendered] = await render_orders_async([order_document(3, event_name=f"Gala {new_id('x')}")])
    order_pdf, ticket_pdf = rendered.pdf, rendered.ticket_pdfs[0]
    stop.set()
    await running
    assert (page_count(order_pdf), page_count(ticket_pdf)) == (3, 1)
    # a blocked loop would not tick at all meanwhile
    assert ticks >= 5


# --- nothing is fetched from outside the templates folder ------------------------------------


@pytest.fixture
def http_witness() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it gets: (base URL, requested paths)."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _greedy_html(base: str) -> str:
    return (
        f'<html><head><link rel="stylesheet" href="{base}/style.css">'
        f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}</style>"
        f'</head><body><img src="{base}/img.png"><img src="file:///etc/hostname">'
        f"<p>hello</p></body></html>"
    )


def test_the_witness_does_see_a_fetcher_that_follows_urls(
    http_witness, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, requests = http_witness
    for proxy in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)  # straight to the witness on loopback
    HTML(string=_greedy_html(base), url_fetcher=URLFetcher(timeout=5)).write_pdf()
    assert requests  # so its silence below means something


def test_the_renderer_fetches_no_remote_url_even_from_raw_html(http_witness) -> None:
    base, requests = http_witness
    pdf = html_to_pdf(_greedy_html(base))
    assert "hello" in page_texts(pdf)[0]
    assert requests == []


def test_urls_in_ticket_data_are_printed_not_fetched(http_witness) -> None:
    base, requests = http_witness
    doc = order_document(
        1,
        holder_name=f'<img src="{base}/holder.png">',
        event_name=f"<link rel=stylesheet href={base}/event.css> Gala",
    )
    [text] = page_texts(render_order_pdf(doc))
    assert f'<img src="{base}/holder.png">' in text
    assert requests == []


def test_the_fetcher_serves_the_templates_folder_and_nothing_else() -> None:
    fetcher = TemplatesOnlyFetcher()
    stylesheet = fetcher.fetch((TEMPLATES / "ticket.css").as_uri())
    assert b"@page" in stylesheet.read()
    stylesheet.close()
    for url in (
        "file:///etc/hostname",
        (TEMPLATES / ".." / "settings.py").as_uri(),
        "https://example.invalid/x.png",
        "data:text/plain,hello",
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_the_qr_code_is_a_full_qr_code_with_error_correction_m() -> None:
    secret = SEATED_ORDER.tickets[0].secret
    code = qr_codes.qr_code(secret)
    assert (code.error_correction, code.micro) == ("M", False)
    png = pdf_renderer.qr_png_data_uri(secret)
    assert png.startswith(pdf_renderer.QR_DATA_URI)
    raw = base64.b64decode(png.removeprefix(pdf_renderer.QR_DATA_URI))
    assert int.from_bytes(raw[16:20], "big") == code.side  # one pixel per module
    quiet = code.pixels[: code.side * qr_codes.QUIET_ZONE]
    assert set(quiet) == {255}  # the quiet zone is in the picture: four white rows on top
