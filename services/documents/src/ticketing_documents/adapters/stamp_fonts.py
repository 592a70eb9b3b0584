"""The template's fonts, ready to stamp text with: each cut once per process (fontTools, which
WeasyPrint already brings) into blocks of 128 code points (ASCII, Latin-1, Latin Extended-A…),
each embedded as a PDF composite font whose codes are glyph ids (``Identity-H``).

Cutting a font per document, as a PDF library would, costs more than the rest of a stamped
page; cut once, the same few kilobytes are copied into every PDF that shows the font, and a PDF
carries only the blocks its text uses (most need ASCII alone).
"""

from __future__ import annotations

import io
import threading
import zlib
from dataclasses import dataclass
from functools import cache

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name

# printable ASCII, Latin-1, Latin Extended-A and B, the usual punctuation and currency signs:
# the names, tiers and seats of most of the world's Latin-script shows (anything else: full
# layout, where Pango picks a font for it)
REPERTOIRE = frozenset(
    [
        *range(0x20, 0x7F),
        *range(0xA0, 0x250),
        *range(0x2010, 0x2028),
        *range(0x2030, 0x203B),
        *range(0x20A0, 0x20C1),
        0x2122,
    ]
)
UNITS = 1000  # PDF glyph space: widths in thousandths of the font size
BLOCK_BITS = 7  # 128 code points a block


@dataclass(frozen=True, eq=False)  # one per font and block: compared by identity
class StampFont:
    base_name: str
    glyphs: dict[int, int]  # code point → glyph id in the cut font
    widths: tuple[int, ...]  # advance of each glyph id, in UNITS
    program: bytes  # the cut TrueType font
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` at ``size`` points, glyph after glyph (no kerning)."""
        return sum(self.widths[self.glyphs[ord(char)]] for char in text) * size / UNITS

    def encode(self, text: str) -> bytes:
        """``text`` as the hexadecimal string of a PDF ``Tj`` (two bytes a glyph)."""
        return b"<" + "".join(f"{self.glyphs[ord(c)]:04X}" for c in text).encode() + b">"


def covers(path: str, char: str) -> bool:
    """Whether the font at ``path`` can stamp ``char`` (in the repertoire, and in the font)."""
    code = ord(char)
    return code in REPERTOIRE and code in stamp_font(path, code >> BLOCK_BITS).glyphs


def runs(path: str, text: str) -> list[tuple[StampFont, str]]:
    """``text`` cut where it passes from one block's font to another's (every char covered)."""
    cut: list[tuple[StampFont, str]] = []
    for char in text:
        font = stamp_font(path, ord(char) >> BLOCK_BITS)
        if cut and cut[-1][0] is font:
            cut[-1] = (font, cut[-1][1] + char)
        else:
            cut.append((font, char))
    return cut


@cache
def stamp_font(path: str, block: int) -> StampFont:
    """The font at ``path`` cut to the repertoire's code points of ``block``."""
    font = TTFont(path)
    in_block = range(block << BLOCK_BITS, (block + 1) << BLOCK_BITS)
    wanted = REPERTOIRE.intersection(in_block) & set(font.getBestCmap())
    options = subset.Options()
    options.layout_features = []  # glyphs are placed one after the other: no shaping
    options.hinting = False  # rasterisers of PDFs do not hint (poppler, pdf.js)
    options.name_IDs = [1, 2, 4, 6]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=wanted)
    cutter.subset(font)
    program = io.BytesIO()
    font.save(program)
    order = font.getGlyphOrder()
    scale = UNITS / font["head"].unitsPerEm
    head, os2 = font["head"], font["OS/2"]
    return StampFont(
        base_name=f"{_tag(block)}+{font['name'].getDebugName(6)}",
        glyphs={code: font.getGlyphID(name) for code, name in font.getBestCmap().items()},
        widths=tuple(round(font["hmtx"][name][0] * scale) for name in order),
        program=program.getvalue(),
        ascent=round(font["hhea"].ascent * scale),
        descent=round(font["hhea"].descent * scale),
        cap_height=round(getattr(os2, "sCapHeight", head.yMax) * scale),
        bbox=(
            round(head.xMin * scale),
            round(head.yMin * scale),
            round(head.xMax * scale),
            round(head.yMax * scale),
        ),
    )


_carrier = pikepdf.new()  # the embedded fonts, built once, copied into each PDF that uses one
_embedded: dict[str, pikepdf.Object] = {}
_carrier_lock = threading.Lock()


def font_object(target: pikepdf.Pdf, font: StampFont) -> pikepdf.Object:
    """``font``'s PDF font dictionary, copied into ``target``."""
    with _carrier_lock:
        embedded = _embedded.get(font.base_name)
        if embedded is None:
            embedded = _embedded[font.base_name] = _embed(_carrier, font)
        return target.copy_foreign(embedded)


def _embed(pdf: pikepdf.Pdf, font: StampFont) -> pikepdf.Object:
    program = _compressed(pdf, font.program)
    program.Length1 = len(font.program)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + font.base_name),
        Flags=32,  # non-symbolic
        FontBBox=Array(font.bbox),
        ItalicAngle=0,
        Ascent=font.ascent,
        Descent=font.descent,
        CapHeight=font.cap_height,
        StemV=80,
        FontFile2=program,
    )
    glyph_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name("/" + font.base_name),
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=Array([0, Array(font.widths)]),
        CIDToGIDMap=Name.Identity,
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/" + font.base_name),
            Encoding=Name("/Identity-H"),
            DescendantFonts=Array([pdf.make_indirect(glyph_font)]),
            ToUnicode=_compressed(pdf, _to_unicode(font)),
        )
    )


def _tag(block: int) -> str:
    """The six capitals PDF puts before the name of a font cut to some of its glyphs."""
    letters = "".join(chr(ord("A") + (block >> (4 * i)) % 16) for i in range(4))
    return "ST" + letters


def _compressed(pdf: pikepdf.Pdf, data: bytes) -> pikepdf.Stream:
    """Compressed once here rather than by every save of every PDF that copies it."""
    return pikepdf.Stream(pdf, zlib.compress(data, 9), Filter=Name.FlateDecode)


def _to_unicode(font: StampFont) -> bytes:
    """The CMap by which text extraction reads each glyph id back as its character."""
    first_code: dict[int, int] = {}  # several characters can share a glyph (space, no-break)
    for code, gid in sorted(font.glyphs.items(), reverse=True):
        first_code[gid] = code
    pairs = sorted(first_code.items())
    chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]  # at most 100 a block
    body = "".join(
        f"{len(chunk)} beginbfchar\n"
        + "".join(f"<{gid:04X}> <{_utf16(code)}>\n" for gid, code in chunk)
        + "endbfchar\n"
        for chunk in chunks
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode()


def _utf16(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()
