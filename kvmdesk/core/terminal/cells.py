"""Cells, styles and character widths of the terminal emulator.

A style is one ``int`` so that a whole run of cells shares one object and a
guest cycling through millions of true colours cannot grow any table:
bits 0-24 foreground, 25-49 background, 50 and up the attribute flags.
A colour field is 0 for the default colour, 1 + n for palette entry n
(0-255) and ``TRUECOLOR | 0xRRGGBB`` for a direct colour.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass
from typing import Final

COLOR_BITS: Final = 25
COLOR_MASK: Final = (1 << COLOR_BITS) - 1
TRUECOLOR: Final = 1 << 24
BG_SHIFT: Final = COLOR_BITS
FLAG_SHIFT: Final = 2 * COLOR_BITS

BOLD: Final = 1
DIM: Final = 2
ITALIC: Final = 4
UNDERLINE: Final = 8
REVERSE: Final = 16
STRIKE: Final = 32
INVISIBLE: Final = 64
BLINK: Final = 128

DEFAULT_STYLE: Final = 0

Color = None | int | tuple[int, int, int]
"""Decoded colour: None (default), a palette index 0-255 or (r, g, b)."""


def make_style(fg: int, bg: int, flags: int) -> int:
    return fg | (bg << BG_SHIFT) | (flags << FLAG_SHIFT)


def style_fg(style: int) -> int:
    return style & COLOR_MASK


def style_bg(style: int) -> int:
    return (style >> BG_SHIFT) & COLOR_MASK


def style_flags(style: int) -> int:
    return style >> FLAG_SHIFT


def palette(index: int) -> int:
    """The colour field of palette entry ``index`` (0-255)."""
    return 1 + index


def rgb(r: int, g: int, b: int) -> int:
    """The colour field of a direct colour."""
    return TRUECOLOR | ((r & 0xFF) << 16) | ((g & 0xFF) << 8) | (b & 0xFF)


def decode_color(field: int) -> Color:
    if field == 0:
        return None
    if field & TRUECOLOR:
        return ((field >> 16) & 0xFF, (field >> 8) & 0xFF, field & 0xFF)
    return field - 1


@dataclass(frozen=True)
class Style:
    """A style spelled out, for tests and for the painter's caches."""

    fg: Color
    bg: Color
    bold: bool
    dim: bool
    italic: bool
    underline: bool
    reverse: bool
    strike: bool
    invisible: bool


def decode_style(style: int) -> Style:
    flags = style_flags(style)
    return Style(
        fg=decode_color(style_fg(style)),
        bg=decode_color(style_bg(style)),
        bold=bool(flags & BOLD),
        dim=bool(flags & DIM),
        italic=bool(flags & ITALIC),
        underline=bool(flags & UNDERLINE),
        reverse=bool(flags & REVERSE),
        strike=bool(flags & STRIKE),
        invisible=bool(flags & INVISIBLE),
    )


def xterm_rgb(index: int) -> tuple[int, int, int]:
    """The xterm default of palette entry 16-255 (the 6x6x6 cube and greys)."""
    if index >= 232:
        level = 8 + 10 * (index - 232)
        return (level, level, level)
    index -= 16
    steps = (0, 95, 135, 175, 215, 255)
    return (steps[index // 36], steps[(index // 6) % 6], steps[index % 6])


_WIDTHS: dict[str, int] = {}
_WIDTH_CACHE_MAX: Final = 65536


def char_width(ch: str) -> int:
    """Columns taken by ``ch``: 2 for East Asian wide/full-width, 0 for combining."""
    if ch < "\u0300":
        return 1
    width = _WIDTHS.get(ch)
    if width is None:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            width = 0
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width = 2
        else:
            width = 1
        if len(_WIDTHS) < _WIDTH_CACHE_MAX:
            _WIDTHS[ch] = width
    return width


WIDE_PAD: Final = ""
"""The cell right of a wide character holds this empty string."""


class Line:
    """One row of the screen: a character and a style per cell.

    A cell holds one character (plus any combining marks) or ``WIDE_PAD``
    when it is the right half of a wide character.
    """

    __slots__ = ("chars", "styles", "wrapped")

    def __init__(self, cols: int, style: int = DEFAULT_STYLE) -> None:
        self.chars: list[str] = [" "] * cols
        self.styles: list[int] = [style] * cols
        self.wrapped = False

    def text(self) -> str:
        return "".join(self.chars)


Run = tuple[int, str, int]
"""(first column, text, style); wide characters appear once in the text."""


def runs_of(chars: list[str], styles: list[int]) -> list[Run]:
    """The line cut into runs of one style, trailing default blanks dropped."""
    n = len(chars)
    while n and styles[n - 1] == DEFAULT_STYLE and chars[n - 1] == " ":
        n -= 1
    if not n:
        return []
    first = styles[0]
    if (n == len(styles) and styles.count(first) == n) or styles[:n].count(first) == n:
        return [(0, "".join(chars[:n]), first)]
    runs: list[Run] = []
    start = 0
    current = first
    for i in range(1, n):
        s = styles[i]
        if s != current:
            runs.append((start, "".join(chars[start:i]), current))
            start = i
            current = s
    runs.append((start, "".join(chars[start:n]), current))
    return runs


def runs_text(runs: list[Run] | tuple[Run, ...]) -> str:
    """Plain text of runs, blanks filled in between them."""
    out: list[str] = []
    col = 0
    for start, text, _style in runs:
        if start > col:
            out.append(" " * (start - col))
        out.append(text)
        col = start + sum(char_width(c) for c in text) if not text.isascii() else start + len(text)
    return "".join(out)


PackedLine = tuple[str, "array[int] | None", bool]
"""A line of scrollback: the text of its runs, (column, length, style) per run
or None for one run of the default style at column 0, and whether it wrapped."""


def pack_line(line: Line) -> PackedLine:
    """A screen line made compact for the scrollback."""
    runs = runs_of(line.chars, line.styles)
    if not runs:
        return ("", None, line.wrapped)
    if len(runs) == 1 and runs[0][0] == 0 and runs[0][2] == DEFAULT_STYLE:
        return (runs[0][1], None, line.wrapped)
    meta: array[int] = array("q")
    for col, text, style in runs:
        meta.extend((col, len(text), style))
    return ("".join(text for _c, text, _s in runs), meta, line.wrapped)


def unpack_runs(packed: PackedLine) -> list[Run]:
    text, meta, _wrapped = packed
    if meta is None:
        return [(0, text, DEFAULT_STYLE)] if text else []
    runs: list[Run] = []
    pos = 0
    for i in range(0, len(meta), 3):
        length = meta[i + 1]
        runs.append((meta[i], text[pos : pos + length], meta[i + 2]))
        pos += length
    return runs
