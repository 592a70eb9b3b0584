"""QR codes of ticket secrets, encoded by zxing-cpp (C++: under a millisecond, the best of the
eight masks included, where pure-Python segno took four with a fixed mask)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

import zxingcpp

ERROR_CORRECTION = "M"  # survives ~15 % damage (a fold, a scratched phone screen)
QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@dataclass(frozen=True)
class QrCode:
    side: int  # modules, quiet zone included
    pixels: bytes  # one grey byte a module, rows top to bottom: 0 dark, 255 light
    error_correction: str
    micro: bool


def qr_code(secret: str) -> QrCode:
    barcode = zxingcpp.create_barcode(
        secret, zxingcpp.BarcodeFormat.QRCode, ec_level=ERROR_CORRECTION
    )
    image: Any = barcode.to_image(scale=1, add_quiet_zones=True)  # a buffer, untyped as such
    pixels = memoryview(image)
    side, width = pixels.shape or (0, 0)
    if side != width or pixels.format != "B":
        raise ValueError(f"not a square of grey bytes: {pixels.shape} {pixels.format}")
    return QrCode(
        side=side,
        pixels=pixels.tobytes(),
        error_correction=barcode.ec_level,
        micro=barcode.format != zxingcpp.BarcodeFormat.QRCode,
    )


def png(code: QrCode) -> bytes:
    """The code as an 8-bit grey PNG of one pixel a module."""
    rows = b"".join(
        b"\x00" + code.pixels[row : row + code.side]  # filter type 0 (none) before each row
        for row in range(0, len(code.pixels), code.side)
    )
    header = struct.pack(">IIBBBBB", code.side, code.side, 8, 0, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
