"""Single pages out of a rendered PDF: a ticket's own PDF costs no second layout."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def split_pages(pdf: bytes) -> list[bytes]:
    """Each page of ``pdf`` as a PDF of its own, in order."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        pages.append(out.getvalue())
    return pages
