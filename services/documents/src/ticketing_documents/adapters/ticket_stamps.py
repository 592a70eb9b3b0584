"""Each ticket's own fields as PDF text at its face's slots, in the template's fonts.

The glyphs are placed one after the other, without HarfBuzz's shaping: the same picture as
WeasyPrint's for text in a simple left-to-right script, and not otherwise. A field that needs
shaping (combining marks, right-to-left or joined scripts), holds a character the cut font lacks
(WeasyPrint would fall back to another font), or is too wide for its slot (the template would
wrap it) cannot be stamped, and its order is laid out in full instead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ticketing_documents.adapters.stamp_fonts import StampFont, covers, runs
from ticketing_documents.adapters.ticket_faces import FaceLayout, TextSlot

# 1 %: kerning and rounding make HarfBuzz's width differ a little from the glyphs' sum
WIDTH_MARGIN = 0.99
_SHAPED_BIDI = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "PDF", "FSI"})
_SHAPED_CATEGORIES = frozenset({"Mn", "Mc", "Me", "Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"})


@dataclass(frozen=True)
class Stamp:
    """One ticket's page: its face and the text of each of the face's slots."""

    face: FaceLayout
    lines: Mapping[str, Sequence[str]]  # slot name → its lines


def fits(slot: TextSlot, text: str) -> bool:
    """Whether ``text`` stamped at ``slot`` looks as WeasyPrint would lay it out there."""
    shown = _shown(slot, text)
    for char in shown:
        if not covers(slot.font.path, char) or unicodedata.category(char) in _SHAPED_CATEGORIES:
            return False
        if unicodedata.bidirectional(char) in _SHAPED_BIDI:
            return False
    return _width(slot, shown) <= slot.max_width * WIDTH_MARGIN


def text_content(stamp: Stamp) -> tuple[bytes, list[StampFont]]:
    """The page content that draws ``stamp``'s text, and its fonts: font ``i`` is ``/S{i}``."""
    fonts: list[StampFont] = []
    ops = [b"BT"]
    for name, lines in stamp.lines.items():
        for slot, line in zip(stamp.face.text[name], lines, strict=True):
            red, green, blue = slot.rgb
            ops.append(
                f"{red:.4f} {green:.4f} {blue:.4f} rg {slot.letter_spacing:.4f} Tc "
                f"1 0 0 1 {slot.x:.4f} {slot.baseline:.4f} Tm".encode()
            )
            for font, run in runs(slot.font.path, _shown(slot, line)):
                if font not in fonts:
                    fonts.append(font)
                ops.append(
                    f"/S{fonts.index(font)} {slot.size:.4f} Tf ".encode()
                    + font.encode(run)
                    + b" Tj"
                )
    ops.append(b"ET\n")
    return b"\n".join(ops), fonts


def _shown(slot: TextSlot, text: str) -> str:
    return text.upper() if slot.uppercase else text


def _width(slot: TextSlot, shown: str) -> float:
    width = sum(font.width(run, slot.size) for font, run in runs(slot.font.path, shown))
    return width + slot.letter_spacing * len(shown)
