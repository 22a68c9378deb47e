"""The screen's grid: lines, cursor, margins, modes, scrollback and dirty rows.

``Grid`` holds the state of a VT100/xterm screen and the operations that move
over it without writing text: reading lines, moving the cursor, scrolling the
region between the margins, the alternate screen and resizing. ``screen.Screen``
adds writing and editing on top. Rows in ``buffer`` are ``Line`` objects; rows
that scroll off the top of the main screen go to ``history`` as compact runs,
bounded by ``scrollback`` lines.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from typing import Final

from kvmdesk.core.terminal.cells import (
    BG_SHIFT,
    COLOR_MASK,
    DEFAULT_STYLE,
    WIDE_PAD,
    Line,
    PackedLine,
    Run,
    char_width,
    pack_line,
    runs_of,
    runs_text,
    unpack_runs,
)

DEFAULT_SCROLLBACK: Final = 10_000
MAX_COLS: Final = 1000
MAX_ROWS: Final = 500


class Cursor:
    """Where the cursor is drawn, and whether it is shown."""

    __slots__ = ("visible", "x", "y")

    def __init__(self, x: int, y: int, visible: bool) -> None:
        self.x = x
        self.y = y
        self.visible = visible


class Grid:
    """The state of a screen and the operations that move over it."""

    def __init__(self, cols: int = 80, rows: int = 24, scrollback: int = DEFAULT_SCROLLBACK):
        self.cols = max(2, min(cols, MAX_COLS))
        self.rows = max(1, min(rows, MAX_ROWS))
        self.history: deque[PackedLine] = deque(maxlen=max(0, scrollback))
        self.scrolled_total = 0
        """Lines ever pushed into the history (lets a view keep its place)."""
        self.title = ""
        self._init_state()

    # -- state -----------------------------------------------------------

    def _init_state(self) -> None:
        self.main: list[Line] = [Line(self.cols) for _ in range(self.rows)]
        self.alt: list[Line] = [Line(self.cols) for _ in range(self.rows)]
        self.buffer = self.main
        self.alt_active = False
        self.x = 0
        self.y = 0
        self.wrap_pending = False
        self.top = 0
        self.bottom = self.rows - 1
        self.fg = 0
        self.bg = 0
        self.flags = 0
        self.style = DEFAULT_STYLE
        self.autowrap = True
        self.origin = False
        self.insert_mode = False
        self.newline_mode = False
        self.application_cursor_keys = False
        self.application_keypad = False
        self.bracketed_paste = False
        self.cursor_visible = True
        self.tabs = set(range(8, self.cols, 8))
        self.charsets = ["B", "B"]
        self.shift = 0
        self._saved: tuple[int, int, int, int, int, bool, list[str], int] | None = None
        self._saved_main: tuple[int, int, int, int, int, bool, list[str], int] | None = None
        self.dirty: set[int] = set()
        self.dirty_all = True

    @property
    def scrollback(self) -> int:
        return self.history.maxlen or 0

    def set_scrollback(self, lines: int) -> None:
        self.history = deque(self.history, maxlen=max(0, lines))

    @property
    def cursor(self) -> Cursor:
        return Cursor(min(self.x, self.cols - 1), self.y, self.cursor_visible)

    def take_dirty(self) -> set[int] | None:
        """Rows changed since the last call; None means every row."""
        if self.dirty_all:
            self.dirty_all = False
            self.dirty = set()
            return None
        dirty = self.dirty
        self.dirty = set()
        return dirty

    def _blank_style(self) -> int:
        """Erased cells keep the current background (xterm's BCE)."""
        return self.bg << BG_SHIFT if self.bg else DEFAULT_STYLE

    def _mark(self, y: int) -> None:
        if not self.dirty_all:
            self.dirty.add(y)

    # -- reading ---------------------------------------------------------

    @property
    def lines(self) -> list[list[Run]]:
        """Runs of every visible line, top to bottom."""
        return [self.line_runs(i) for i in range(self.rows)]

    def line_runs(self, index: int) -> list[Run]:
        """Runs of line ``index``: 0..rows-1 the screen, negative the history."""
        if index < 0:
            return unpack_runs(self.history[index])
        line = self.buffer[index]
        return runs_of(line.chars, line.styles)

    def line_text(self, index: int) -> str:
        if index < 0:
            return runs_text(unpack_runs(self.history[index]))
        return self.buffer[index].text().replace(WIDE_PAD, "").rstrip()

    def line_wrapped(self, index: int) -> bool:
        return self.history[index][2] if index < 0 else self.buffer[index].wrapped

    def text(self) -> str:
        """The visible screen, trailing blanks of each line stripped."""
        return "\n".join(self.line_text(i) for i in range(self.rows))

    def history_text(self) -> str:
        lines = [runs_text(unpack_runs(packed)) for packed in self.history]
        lines.extend(self.line_text(i) for i in range(self.rows))
        return "\n".join(lines)

    # -- scrolling -------------------------------------------------------

    def scroll_up(self, count: int = 1) -> None:
        top, bottom, buf = self.top, self.bottom, self.buffer
        count = min(count, bottom - top + 1)
        blank = self._blank_style()
        to_history = top == 0 and not self.alt_active and self.history.maxlen
        for _ in range(count):
            line = buf.pop(top)
            if to_history:
                self.history.append(pack_line(line))
                self.scrolled_total += 1
            buf.insert(bottom, Line(self.cols, blank))
        if top == 0 and bottom == self.rows - 1:
            self.dirty_all = True
        else:
            for y in range(top, bottom + 1):
                self._mark(y)

    def scroll_down(self, count: int = 1) -> None:
        top, bottom, buf = self.top, self.bottom, self.buffer
        count = min(count, bottom - top + 1)
        blank = self._blank_style()
        for _ in range(count):
            del buf[bottom]
            buf.insert(top, Line(self.cols, blank))
        for y in range(top, bottom + 1):
            self._mark(y)

    def linefeed(self) -> None:
        self.wrap_pending = False
        if self.y == self.bottom:
            self.scroll_up()
        elif self.y < self.rows - 1:
            self.y += 1

    def reverse_index(self) -> None:
        self.wrap_pending = False
        if self.y == self.top:
            self.scroll_down()
        elif self.y > 0:
            self.y -= 1

    # -- cursor ----------------------------------------------------------

    def move_to(self, x: int, y: int) -> None:
        """Absolute position; in origin mode rows count from the top margin."""
        if self.origin:
            y = max(self.top, min(y + self.top, self.bottom))
        else:
            y = max(0, min(y, self.rows - 1))
        self.x = max(0, min(x, self.cols - 1))
        self.y = y
        self.wrap_pending = False

    def move_rel(self, dx: int, dy: int) -> None:
        y = self.y + dy
        if dy:
            lo = self.top if self.top <= self.y <= self.bottom else 0
            hi = self.bottom if self.top <= self.y <= self.bottom else self.rows - 1
            y = max(lo, min(y, hi))
        self.x = max(0, min(self.x + dx, self.cols - 1))
        self.y = y
        self.wrap_pending = False

    def tab(self, count: int = 1) -> None:
        stops = sorted(self.tabs)
        i = bisect_right(stops, self.x) + max(1, count) - 1
        self.x = stops[i] if i < len(stops) else self.cols - 1
        self.wrap_pending = False

    def back_tab(self, count: int = 1) -> None:
        stops = sorted(self.tabs)
        i = bisect_left(stops, self.x) - max(1, count)
        self.x = stops[i] if i >= 0 else 0
        self.wrap_pending = False

    def save_cursor(self) -> None:
        self._saved = (
            self.x,
            self.y,
            self.fg,
            self.bg,
            self.flags,
            self.origin,
            list(self.charsets),
            self.shift,
        )

    def restore_cursor(self) -> None:
        if self._saved is None:
            self.fg = self.bg = self.flags = 0
            self.origin = False
            self.move_to(0, 0)
        else:
            x, y, self.fg, self.bg, self.flags, self.origin, charsets, self.shift = self._saved
            self.charsets = list(charsets)
            self.x = max(0, min(x, self.cols - 1))
            self.y = max(0, min(y, self.rows - 1))
            self.wrap_pending = False
        self.update_style()

    def update_style(self) -> None:
        self.style = (
            (self.fg & COLOR_MASK) | ((self.bg & COLOR_MASK) << BG_SHIFT) | (self.flags << 50)
        )

    def set_margins(self, top: int, bottom: int) -> None:
        top = max(0, top)
        bottom = min(self.rows - 1, bottom)
        if top < bottom:
            self.top, self.bottom = top, bottom
            self.move_to(0, 0)

    # -- screens ---------------------------------------------------------

    def switch_alt(self, on: bool, save: bool, clear: bool) -> None:
        if on == self.alt_active:
            return
        if on:
            if save:
                self.save_cursor()
                self._saved_main = self._saved
            self.buffer = self.alt
            self.alt_active = True
            if clear:
                blank = self._blank_style()
                self.alt[:] = [Line(self.cols, blank) for _ in range(self.rows)]
        else:
            self.buffer = self.main
            self.alt_active = False
            if save and self._saved_main is not None:
                self._saved = self._saved_main
                self.restore_cursor()
        self.dirty_all = True

    def resize(self, cols: int, rows: int) -> None:
        cols = max(2, min(cols, MAX_COLS))
        rows = max(1, min(rows, MAX_ROWS))
        if (cols, rows) == (self.cols, self.rows):
            return
        for buf in (self.main, self.alt):
            for line in buf:
                if cols < self.cols:
                    del line.chars[cols:]
                    del line.styles[cols:]
                    if line.chars[-1] != WIDE_PAD and char_width(line.chars[-1][:1] or " ") == 2:
                        line.chars[-1] = " "
                else:
                    line.chars.extend([" "] * (cols - self.cols))
                    line.styles.extend([DEFAULT_STYLE] * (cols - self.cols))
        old_cols, self.cols = self.cols, cols
        if rows < self.rows:
            # Rows above the cursor go to the scrollback, like xterm.
            excess = self.rows - rows
            above = min(excess, self.y)
            for _ in range(above):
                line = self.main.pop(0)
                if self.history.maxlen and not self.alt_active:
                    self.history.append(pack_line(line))
                    self.scrolled_total += 1
            del self.main[rows:]
            del self.alt[: min(excess, self.y)]
            del self.alt[rows:]
            self.y -= above
        else:
            for buf in (self.main, self.alt):
                buf.extend(Line(cols) for _ in range(rows - len(buf)))
        self.rows = rows
        self.top, self.bottom = 0, rows - 1
        self.tabs = {t for t in self.tabs if t < cols} | set(
            range(8 * (old_cols // 8 + 1), cols, 8)
        )
        self.x = min(self.x, cols - 1)
        self.y = max(0, min(self.y, rows - 1))
        self.wrap_pending = False
        self.dirty_all = True
