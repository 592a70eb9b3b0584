"""Orders and single pages cut out of a rendered PDF: neither costs a second layout."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter


@dataclass(frozen=True)
class PdfInfo:
    title: str
    author: str


def cut_pages(pdf: bytes, parts: Sequence[tuple[int, PdfInfo]]) -> list[tuple[bytes, list[bytes]]]:
    """``pdf`` cut into consecutive parts of the given page counts: for each, the part as one
    PDF (with its own title and author) and each of its pages as a PDF of its own."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    if len(pages) != sum(count for count, _ in parts):
        raise ValueError(f"{len(pages)} pages, cut into parts of {[c for c, _ in parts]}")
    cut, start = [], 0
    for count, info in parts:
        mine = list(pages[start : start + count])
        start += count
        cut.append((_pdf_of(mine, info), [_pdf_of([page], info) for page in mine]))
    return cut


def _pdf_of(pages: Sequence[PageObject], info: PdfInfo | None = None) -> bytes:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    if info is not None:
        writer.add_metadata({"/Title": info.title, "/Author": info.author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
