"""Where each ticket's own fields go on a face, read from WeasyPrint's layout of that face.

A face is the ticket template laid out with every ``data-slot`` element present but hidden
(``visibility: hidden`` keeps its box, so the layout is the template's own) and holding a
one-line stand-in. Each slot's box gives the baseline where its text starts, how wide the text
may be before the template would wrap it, and its font, size, colour and letter spacing; the
QR code's slot gives its square. Coordinates are PDF points from the page's lower-left corner.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from typing import Any

PX = 0.75  # points per CSS pixel: WeasyPrint lays out in CSS pixels, PDF counts points
QR_SLOT = "qr"


class FaceLayoutError(ValueError):
    """The face cannot take stamped fields (a slot that wraps, a font fontconfig does not have)."""


@dataclass(frozen=True)
class FontFile:
    path: str
    family: str


@dataclass(frozen=True)
class TextSlot:
    x: float
    baseline: float
    max_width: float  # right edge of the slot's box minus ``x``
    font: FontFile
    size: float
    rgb: tuple[float, float, float]
    letter_spacing: float
    uppercase: bool


@dataclass(frozen=True)
class ImageSlot:
    x: float
    y: float  # lower edge
    width: float
    height: float


@dataclass(frozen=True)
class FaceLayout:
    pdf: bytes  # one page: the face, every slot left blank
    size: tuple[float, float]  # the page's width and height
    text: dict[str, tuple[TextSlot, ...]]  # slot name → its lines, top to bottom
    qr: ImageSlot


def face_layout(page: Any, pdf: bytes) -> FaceLayout:
    """The slots of ``page`` (a laid-out ``weasyprint.Page``) whose PDF is ``pdf``."""
    height_pt = page.height * PX
    text: dict[str, list[TextSlot]] = {}
    qr: ImageSlot | None = None
    blocks: dict[int, Any] = {}  # element id → its block box (the slot's width)
    for box in page._page_box.descendants():  # no public API gives box geometry
        name = _slot_name(box)
        if name is None:
            continue
        kind = type(box).__name__
        if name == QR_SLOT and "Replaced" in kind:
            qr = ImageSlot(
                x=box.content_box_x() * PX,
                y=height_pt - (box.content_box_y() + box.height) * PX,
                width=box.width * PX,
                height=box.height * PX,
            )
        elif kind == "BlockBox":
            blocks[id(box.element)] = box
        elif kind == "TextBox":
            block = blocks.get(id(box.element))
            if block is None:
                raise FaceLayoutError(f"slot {name!r} is not a block of its own")
            text.setdefault(name, []).append(_text_slot(box, block, height_pt))
    if qr is None:
        raise FaceLayoutError("the template has no QR code slot")
    for name, lines in text.items():
        if len(lines) != 1:
            raise FaceLayoutError(f"slot {name!r} is laid out on {len(lines)} lines, not one")
    size = (page.width * PX, height_pt)
    return FaceLayout(pdf=pdf, size=size, text={k: tuple(v) for k, v in text.items()}, qr=qr)


def _slot_name(box: Any) -> str | None:
    element = getattr(box, "element", None)
    if element is None or not hasattr(element, "get"):
        return None
    name: str | None = element.get("data-slot")
    return name


def _text_slot(box: Any, block: Any, height_pt: float) -> TextSlot:
    style = box.style
    spacing = style["letter_spacing"]
    color = style["color"]
    right = block.content_box_x() + block.width
    return TextSlot(
        x=box.position_x * PX,
        baseline=height_pt - (box.position_y + box.baseline) * PX,
        max_width=(right - box.position_x) * PX,
        font=font_file(style["font_family"][0], style["font_weight"] >= 600),
        size=style["font_size"] * PX,
        rgb=_rgb(color),
        letter_spacing=0.0 if spacing == "normal" else spacing * PX,
        uppercase=style["text_transform"] == "uppercase",
    )


def _rgb(color: Any) -> tuple[float, float, float]:
    red, green, blue = color.to("srgb").coordinates
    return (red, green, blue)


@cache
def font_file(family: str, bold: bool) -> FontFile:
    """The file fontconfig gives for ``family`` (as Pango, under WeasyPrint, asks it)."""
    pattern = f"{family}:bold" if bold else f"{family}:weight=regular"
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{family[0]}", pattern],
        capture_output=True,
        check=True,
        text=True,
        timeout=10,
    ).stdout.splitlines()
    if len(found) != 2 or found[1] != family or not found[0].endswith(".ttf"):
        raise FaceLayoutError(f"no TrueType file for font {pattern!r}: {found}")
    return FontFile(path=found[0], family=family)
