"""Fonts, colours and the painting of terminal cells for ``TerminalView``.

Every cell is ``cw`` x ``ch`` pixels: the font's letter spacing is adjusted
so that a run of narrow characters drawn as one string lands on the grid,
and wide characters are drawn one by one on two cells.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter

from kvmdesk.core.terminal import (
    BOLD,
    DIM,
    INVISIBLE,
    ITALIC,
    REVERSE,
    STRIKE,
    TRUECOLOR,
    UNDERLINE,
    Terminal,
    char_width,
    style_bg,
    style_fg,
    style_flags,
    xterm_rgb,
)

# The 16 ANSI colours (Tango), readable on light and dark backgrounds.
ANSI = [
    (0x2E, 0x34, 0x36),
    (0xCC, 0x00, 0x00),
    (0x4E, 0x9A, 0x06),
    (0xC4, 0xA0, 0x00),
    (0x34, 0x65, 0xA4),
    (0x75, 0x50, 0x7B),
    (0x06, 0x98, 0x9A),
    (0xD3, 0xD7, 0xCF),
    (0x55, 0x57, 0x53),
    (0xEF, 0x29, 0x29),
    (0x8A, 0xE2, 0x34),
    (0xFC, 0xE9, 0x4F),
    (0x72, 0x9F, 0xCF),
    (0xAD, 0x7F, 0xA8),
    (0x34, 0xE2, 0xE2),
    (0xEE, 0xEE, 0xEC),
]
CJK_FAMILIES = (
    "Noto Sans Mono CJK SC",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei Mono",
    "Source Han Sans SC",
    "Droid Sans Fallback",
)
MAX_CACHED_COLORS = 4096


class CellPainter:
    def __init__(self) -> None:
        base = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.base_size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        installed = set(QFontDatabase.families())
        self.system_family = base.family()
        self.families = [base.family()] + [f for f in CJK_FAMILIES if f in installed]
        self._colors: dict[int, QColor] = {}
        self._fonts: dict[int, QFont] = {}
        self.set_point_size(self.base_size)

    def set_point_size(self, size: float) -> None:
        font = QFont()
        font.setFamilies(self.families)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFixedPitch(True)
        font.setPointSizeF(size)
        metrics = QFontMetricsF(font)
        advance = metrics.horizontalAdvance("M")
        self.cw = max(1, round(advance))
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, self.cw - advance)
        self.ch = max(1, round(metrics.height()))
        self.ascent = round(metrics.ascent())
        self.point_size = size
        self.font = font
        self._fonts = {}

    def styled_font(self, flags: int) -> QFont:
        key = flags & (BOLD | ITALIC | UNDERLINE | STRIKE)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self.font)
            font.setBold(bool(key & BOLD))
            font.setItalic(bool(key & ITALIC))
            font.setUnderline(bool(key & UNDERLINE))
            font.setStrikeOut(bool(key & STRIKE))
            self._fonts[key] = font
        return font

    def color(self, field: int, default: QColor) -> QColor:
        if field == 0:
            return default
        color = self._colors.get(field)
        if color is None:
            if field & TRUECOLOR:
                color = QColor((field >> 16) & 0xFF, (field >> 8) & 0xFF, field & 0xFF)
            else:
                index = field - 1
                color = QColor(*(ANSI[index] if index < 16 else xterm_rgb(index)))
            if len(self._colors) >= MAX_CACHED_COLORS:
                self._colors.clear()  # a guest cycling through true colours
            self._colors[field] = color
        return color

    def paint_rows(
        self,
        painter: QPainter,
        term: Terminal,
        rows: range,
        offset: int,
        fg0: QColor,
        bg0: QColor,
    ) -> None:
        """Rows of the view; with ``offset`` lines scrolled back into the history."""
        cw, ch, ascent = self.cw, self.ch, self.ascent
        oldest = -len(term.history)
        pen_key = font_key = -1
        for row in rows:
            index = row - offset
            if index < oldest:
                continue
            y = row * ch
            for col, text, style in term.line_runs(index):
                flags = style_flags(style)
                fg_field = style_fg(style)
                if flags & BOLD and 1 <= fg_field <= 8:
                    fg_field += 8  # bold shows the bright colour, like xterm
                bg_field = style_bg(style)
                widths = None if text.isascii() else [char_width(c) for c in text]
                if bg_field or flags & REVERSE:
                    fg = self.color(fg_field, fg0)
                    bg = self.color(bg_field, bg0)
                    if flags & REVERSE:
                        fg, bg = bg, fg
                        fg_field = -2  # not a colour field: the pen must be set
                    span = len(text) if widths is None else sum(widths)
                    painter.fillRect(col * cw, y, span * cw, ch, bg)
                else:
                    fg = self.color(fg_field, fg0)
                if flags & INVISIBLE or text.isspace():
                    continue
                if flags & DIM:
                    fg = QColor(fg)
                    fg.setAlpha(150)
                    fg_field = -3
                key = flags & (BOLD | ITALIC | UNDERLINE | STRIKE)
                if key != font_key:
                    painter.setFont(self.styled_font(key))
                    font_key = key
                if fg_field != pen_key or fg_field < 0:
                    painter.setPen(fg)
                    pen_key = fg_field
                if widths is None:
                    painter.drawText(col * cw, y + ascent, text)
                    continue
                x = col
                for c, w in zip(text, widths, strict=True):
                    if c != " ":
                        painter.drawText(x * cw, y + ascent, c)
                    x += w

    def fill_cells(self, painter: QPainter, row: int, start: int, end: int, color: QColor) -> None:
        painter.fillRect(start * self.cw, row * self.ch, (end - start) * self.cw, self.ch, color)

    def paint_cursor(
        self,
        painter: QPainter,
        term: Terminal,
        offset: int,
        focused: bool,
        fg: QColor,
        bg: QColor,
    ) -> None:
        """A block when focused, an outline when not; hidden when scrolled off."""
        if not term.cursor_visible or term.y + offset >= term.rows:
            return
        cursor = term.cursor
        line = term.buffer[cursor.y]
        c = line.chars[cursor.x] or " "
        width = 2 if char_width(c[:1] or " ") == 2 else 1
        rect = QRect(cursor.x * self.cw, (cursor.y + offset) * self.ch, width * self.cw, self.ch)
        if focused:
            painter.fillRect(rect, fg)
            painter.setPen(bg)
            painter.setFont(self.styled_font(style_flags(line.styles[cursor.x])))
            if c.strip():
                painter.drawText(rect.left(), rect.top() + self.ascent, c)
        else:
            painter.setPen(fg)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
