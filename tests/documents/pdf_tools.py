"""Read a PDF as a person and a door scanner would: poppler for text and pixels, zbar for codes."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, in reading order (``pdftotext``; pages split at form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    return text.split("\f")[: page_count(pdf)]


def scanned_codes(pdf: bytes, dpi: int = 150) -> list[list[str]]:
    """The QR codes zbar decodes on each page rasterised at ``dpi`` (an ordinary home print)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tickets.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(source), str(Path(folder) / "page")],
            check=True,
            timeout=120,
        )
        pages = sorted(Path(folder).glob("page-*.png"))
        return [_decode(page) for page in pages]


def _decode(image: Path) -> list[str]:
    scan = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        timeout=60,
    )
    if scan.returncode == 4:  # zbar's "no symbol found"
        return []
    scan.check_returncode()
    return scan.stdout.decode().splitlines()
