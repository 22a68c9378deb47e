"""The screen of the terminal emulator: writing text and editing cells.

Everything here is driven by ``emulator.Terminal``; the operations are named
after the VT100/xterm functions they implement. ``Screen`` writes printable
text at the cursor (wrapping, wide characters, combining marks, insert mode)
and erases, inserts and deletes characters and lines; the state it works on
(lines, cursor, margins, scrollback) is the ``grid.Grid`` it extends.
"""

from __future__ import annotations

from kvmdesk.core.terminal.cells import WIDE_PAD, Line, char_width
from kvmdesk.core.terminal.grid import DEFAULT_SCROLLBACK, MAX_COLS, MAX_ROWS, Cursor, Grid

__all__ = ["DEFAULT_SCROLLBACK", "MAX_COLS", "MAX_ROWS", "Cursor", "Screen"]


class Screen(Grid):
    """A grid that text is written to and edited in."""

    # -- writing ---------------------------------------------------------

    def draw(self, text: str) -> None:
        """Write printable text at the cursor, wrapping at the right margin."""
        if text.isascii():
            self._draw_narrow(text)
        else:
            self._draw_unicode(text)

    def _wrap(self) -> None:
        self.buffer[self.y].wrapped = True
        self.x = 0
        self.linefeed()

    def _draw_unicode(self, text: str) -> None:
        narrow_start = 0
        for i, ch in enumerate(text):
            w = char_width(ch)
            if w == 1:
                continue
            if i > narrow_start:
                self._draw_narrow(text[narrow_start:i])
            narrow_start = i + 1
            if w == 2:
                self._draw_wide(ch)
            else:
                self._combine(ch)
        if narrow_start < len(text):
            self._draw_narrow(text[narrow_start:])

    def _draw_narrow(self, text: str) -> None:
        # ASCII and non-ASCII narrow characters: one cell each.
        cols = self.cols
        style = self.style
        while text:
            if self.wrap_pending:
                self._wrap()
            x = self.x
            line = self.buffer[self.y]
            n = min(len(text), cols - x)
            chunk = text[:n] if n < len(text) else text
            text = text[n:] if n < len(text) else ""
            if self.insert_mode:
                self._insert_blanks(line, x, n)
            chars = line.chars
            if chars[x] == WIDE_PAD and x:
                chars[x - 1] = " "
            end = x + n
            if end < cols and chars[end] == WIDE_PAD:
                chars[end] = " "
            chars[x:end] = chunk
            line.styles[x:end] = [style] * n
            self._mark(self.y)
            if end >= cols:
                self.x = cols - 1
                self.wrap_pending = self.autowrap
            else:
                self.x = end

    def _draw_wide(self, ch: str) -> None:
        if self.wrap_pending:
            self._wrap()
        if self.x >= self.cols - 1:
            if not self.autowrap:
                self.x = self.cols - 2
            else:
                line = self.buffer[self.y]
                line.chars[self.x] = " "
                self._wrap()
        x = self.x
        line = self.buffer[self.y]
        if self.insert_mode:
            self._insert_blanks(line, x, 2)
        chars = line.chars
        if chars[x] == WIDE_PAD and x:
            chars[x - 1] = " "
        if x + 2 < self.cols and chars[x + 2] == WIDE_PAD:
            chars[x + 2] = " "
        chars[x] = ch
        chars[x + 1] = WIDE_PAD
        line.styles[x] = line.styles[x + 1] = self.style
        self._mark(self.y)
        if x + 2 >= self.cols:
            self.x = self.cols - 1
            self.wrap_pending = self.autowrap
        else:
            self.x = x + 2

    def _combine(self, ch: str) -> None:
        """Attach a combining mark to the character left of the cursor."""
        line = self.buffer[self.y]
        x = self.x if self.wrap_pending else self.x - 1
        if x < 0:
            return
        if line.chars[x] == WIDE_PAD and x:
            x -= 1
        if len(line.chars[x]) < 16:  # a guest cannot grow one cell forever
            line.chars[x] += ch
            self._mark(self.y)

    def _insert_blanks(self, line: Line, x: int, n: int) -> None:
        cols = self.cols
        n = min(n, cols - x)
        blank = self._blank_style()
        line.chars[x:x] = [" "] * n
        line.styles[x:x] = [blank] * n
        del line.chars[cols:]
        del line.styles[cols:]
        if line.chars[cols - 1] != WIDE_PAD and char_width(line.chars[cols - 1][:1] or " ") == 2:
            line.chars[cols - 1] = " "

    # -- erasing and editing ---------------------------------------------

    def _erase(self, y: int, start: int, end: int) -> None:
        line = self.buffer[y]
        start = max(0, start)
        end = min(end, self.cols)
        if start >= end:
            return
        if start and line.chars[start] == WIDE_PAD:
            start -= 1
        if end < self.cols and line.chars[end] == WIDE_PAD:
            line.chars[end] = " "
        line.chars[start:end] = [" "] * (end - start)
        line.styles[start:end] = [self._blank_style()] * (end - start)
        if end == self.cols:
            line.wrapped = False
        self._mark(y)

    def erase_in_line(self, how: int) -> None:
        self.wrap_pending = False
        if how == 0:
            self._erase(self.y, self.x, self.cols)
        elif how == 1:
            self._erase(self.y, 0, self.x + 1)
        elif how == 2:
            self._erase(self.y, 0, self.cols)

    def erase_in_display(self, how: int) -> None:
        self.wrap_pending = False
        if how == 0:
            self._erase(self.y, self.x, self.cols)
            for y in range(self.y + 1, self.rows):
                self._erase(y, 0, self.cols)
        elif how == 1:
            for y in range(self.y):
                self._erase(y, 0, self.cols)
            self._erase(self.y, 0, self.x + 1)
        elif how == 2:
            cols = self.cols
            blank = self._blank_style()
            for line in self.buffer:
                line.chars = [" "] * cols
                line.styles = [blank] * cols
                line.wrapped = False
            self.dirty_all = True
        elif how == 3:
            self.history.clear()
            self.dirty_all = True

    def erase_chars(self, count: int) -> None:
        self._erase(self.y, self.x, self.x + max(1, count))

    def insert_chars(self, count: int) -> None:
        self._insert_blanks(self.buffer[self.y], self.x, max(1, count))
        self._mark(self.y)

    def delete_chars(self, count: int) -> None:
        line = self.buffer[self.y]
        x = self.x
        count = min(max(1, count), self.cols - x)
        del line.chars[x : x + count]
        del line.styles[x : x + count]
        line.chars.extend([" "] * count)
        line.styles.extend([self._blank_style()] * count)
        if line.chars[x] == WIDE_PAD:
            line.chars[x] = " "
        if x and line.chars[x - 1] and char_width(line.chars[x - 1][0]) == 2:
            line.chars[x - 1] = " "  # its right half was deleted
        self._mark(self.y)

    def insert_lines(self, count: int) -> None:
        if not self.top <= self.y <= self.bottom:
            return
        top = self.top
        self.top = self.y
        self.scroll_down(max(1, count))
        self.top = top
        self.x = 0
        self.wrap_pending = False

    def delete_lines(self, count: int) -> None:
        if not self.top <= self.y <= self.bottom:
            return
        top = self.top
        self.top = self.y
        # Lines deleted inside the screen never go to the scrollback.
        alt = self.alt_active
        self.alt_active = True
        self.scroll_up(max(1, count))
        self.alt_active = alt
        self.top = top
        self.x = 0
        self.wrap_pending = False
