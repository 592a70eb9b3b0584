"""Tickets stamped on a cached face look like tickets laid out in full, pixel for pixel (within
anti-aliasing), and a field that cannot be stamped faithfully is laid out in full instead."""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.documents.pdf_tools import page_texts, scanned_codes
from tests.documents.samples import TRICKY_NAME, order_document
from ticketing_documents.adapters import pdf_renderer
from ticketing_documents.adapters.pdf_renderer import html_to_pdf, pages_html, render_orders
from ticketing_documents.domain.ticket_document import OrderDocument

DPI = 100
# anti-aliased glyph edges land a fraction of a pixel apart (HarfBuzz's positions are not the
# glyphs' plain advances): grey within a pixel, never a stroke out of place
FAINT = 48  # grey levels of difference that count as a different pixel
MOST_DIFFERENT_PIXELS = 0.0003  # of the page (measured: ~0.011 %; a field 1 pt off: ~0.1 %)
LARGEST_DIFFERENCE = 128  # grey levels (measured: ~64; a field 1 pt off: ~240)


def _grey_pages(pdf: bytes) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), f"{folder}/p"],
            check=True,
            timeout=120,
        )
        return [Image.open(page).convert("L") for page in sorted(Path(folder).glob("p-*.png"))]


def _difference(first: bytes, second: bytes) -> tuple[float, int]:
    """The share of pixels that differ by ``FAINT`` or more, and the largest difference."""
    [one], [other] = _grey_pages(first), _grey_pages(second)
    assert one.size == other.size
    histogram = ImageChops.difference(one, other).histogram()
    largest = max(level for level, count in enumerate(histogram) if count)
    return sum(histogram[FAINT:]) / (one.size[0] * one.size[1]), largest


def _looks_alike(first: bytes, second: bytes) -> bool:
    share, largest = _difference(first, second)
    return share <= MOST_DIFFERENT_PIXELS and largest < LARGEST_DIFFERENCE


def _laid_out_alone(doc: OrderDocument, position: int) -> bytes:
    """The ticket at ``position`` of ``doc`` laid out in full by WeasyPrint, as its own page."""
    return html_to_pdf(pages_html([(doc, doc.tickets[position])]))


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Records each WeasyPrint layout: "face" for a face, "full" for tickets laid out in full."""
    seen: list[str] = []
    lay_out_face, lay_out_full = pdf_renderer._lay_out_face, pdf_renderer._render_laid_out

    def face(html: str) -> object:
        seen.append("face")
        return lay_out_face(html)

    def full(docs: list[OrderDocument]) -> object:
        if docs:
            seen.append("full")
        return lay_out_full(docs)

    monkeypatch.setattr(pdf_renderer, "_lay_out_face", face)
    monkeypatch.setattr(pdf_renderer, "_render_laid_out", full)
    pdf_renderer._faces.clear()
    yield seen
    pdf_renderer._faces.clear()


def test_a_stamped_ticket_looks_like_one_laid_out_in_full(layouts: list[str]) -> None:
    doc = order_document(2, holder_name=TRICKY_NAME)  # general admission, then seated with price
    [rendered] = render_orders([doc])
    assert layouts == ["face", "face"]  # stamped: two shapes of face, no full layout
    for position, stamped in enumerate(rendered.ticket_pdfs):
        laid_out = _laid_out_alone(doc, position)
        assert _looks_alike(stamped, laid_out), _difference(stamped, laid_out)


def test_the_comparison_sees_a_field_one_point_out_of_place() -> None:
    doc = order_document(1)
    [stamp] = pdf_renderer._stamps(doc) or []
    slots = dict(stamp.face.text)
    [holder] = slots["holder_name"]
    slots["holder_name"] = (dataclasses.replace(holder, baseline=holder.baseline - 1),)
    moved = dataclasses.replace(stamp, face=dataclasses.replace(stamp.face, text=slots))
    [rendered] = pdf_renderer._render_stamped([(doc, [moved])])
    assert not _looks_alike(rendered.ticket_pdfs[0], _laid_out_alone(doc, 0))


def test_a_face_is_laid_out_once_per_performance_and_again_when_it_changes(
    layouts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = order_document(1), order_document(1, holder_name="Grace Hopper")
    render_orders([first])
    render_orders([second])  # same event, venue and start: the kept face
    assert layouts == ["face"]
    render_orders([order_document(1, event_name="Fidelio")])
    render_orders([dataclasses.replace(first, venue_name="Komische Oper")])
    render_orders([dataclasses.replace(first, starts_at=first.starts_at.replace(hour=17))])
    assert layouts == ["face"] * 4
    monkeypatch.setattr(pdf_renderer, "_DESIGN", "another template")
    render_orders([first])
    assert layouts == ["face"] * 5


@pytest.mark.parametrize(
    "holder_name",
    [
        "Ada " + "Lovelace-Byron " * 12,  # wider than its slot: the template wraps it
        "\u0645\u062d\u0645\u062f \u0639\u0644\u064a",  # Arabic: joined, right to left
        "Zoe\u0308 Nguye\u0302\u0303n",  # combining marks
        "\u5c71\u7530 \u82b1\u5b50",  # not in the template's font: Pango falls back to another
    ],
)
def test_a_field_that_cannot_be_stamped_faithfully_is_laid_out_in_full(
    layouts: list[str], holder_name: str
) -> None:
    stamped, unusual = order_document(1), order_document(1, holder_name=holder_name)
    results = render_orders([stamped, unusual])
    assert layouts == ["face", "full"]  # the usual order stamped, the unusual one laid out
    assert [r.order for r in results] == [stamped, unusual]
    [text] = page_texts(results[1].pdf)
    assert holder_name.split()[0] in text
    assert scanned_codes(results[1].pdf) == [[unusual.tickets[0].secret]]
