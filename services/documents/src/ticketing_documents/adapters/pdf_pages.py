"""Orders and single pages cut out of a rendered PDF: neither costs a second layout.

pikepdf (qpdf) copies a page with the fonts and images it uses; it cuts ten pages in ~8 ms,
where pypdf took ~70.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class PdfInfo:
    title: str
    author: str


def cut_pages(pdf: bytes, parts: Sequence[tuple[int, PdfInfo]]) -> list[tuple[bytes, list[bytes]]]:
    """``pdf`` cut into consecutive parts of the given page counts: for each, the part as one
    PDF (with its own title and author) and each of its pages as a PDF of its own."""
    with pikepdf.open(io.BytesIO(pdf)) as source:
        pages = list(source.pages)
        if len(pages) != sum(count for count, _ in parts):
            raise ValueError(f"{len(pages)} pages, cut into parts of {[c for c, _ in parts]}")
        cut, start = [], 0
        for count, info in parts:
            mine = pages[start : start + count]
            start += count
            cut.append((_pdf_of(mine, info), [_pdf_of([page], info) for page in mine]))
        return cut


def _pdf_of(pages: Sequence[pikepdf.Page], info: PdfInfo) -> bytes:
    with pikepdf.new() as part:
        part.pages.extend(pages)
        part.docinfo["/Title"] = info.title
        part.docinfo["/Author"] = info.author
        out = io.BytesIO()
        part.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
