"""The display half of the terminal widget: guest output in, pixels out.

``TerminalDisplay`` feeds guest output to a ``core.terminal.Terminal`` within
a time budget per turn of the event loop (what is left waits in a bounded
backlog), fits the terminal to the widget's size and font, keeps the
scrollback's scroll bar in step and repaints at most about 60 times a second,
only the rows that changed when nothing scrolled. ``terminal_view.TerminalView``
adds selection, the clipboard and the keyboard on top.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from kvmdesk.core.terminal import Terminal
from kvmdesk.ui.domain.console.terminal_paint import CellPainter

FRAME_MS = 16
FEED_SLICE = 256
FEED_BUDGET = 0.01  # seconds of processing inside feed()
DRAIN_BUDGET = 0.015  # seconds per turn of the event loop for waiting output
MAX_BACKLOG = 2 << 20
PAD = 3  # pixels between the frame and the text
MIN_POINT_SIZE = 5
MAX_POINT_SIZE = 72


class TerminalDisplay(QAbstractScrollArea):
    """Shows a terminal fed with guest output, with its scrollback."""

    drained = Signal()
    """Emitted when output that had to wait has all been processed."""
    max_backlog = MAX_BACKLOG

    def __init__(self, parent: QWidget | None = None, scrollback: int = 10_000) -> None:
        super().__init__(parent)
        self._term = Terminal(80, 24, scrollback)
        self._offset = 0  # lines scrolled back from the live screen
        self._seen_total = 0
        self._cursor_row = 0  # where the last refresh saw the cursor
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.verticalScrollBar().valueChanged.connect(self._on_scrollbar)
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.setInterval(FRAME_MS)
        self._frame.timeout.connect(self._refresh)
        self._backlog: deque[bytes] = deque()
        self._backlog_size = 0
        self._backlog_pos = 0
        self.dropped_bytes = 0
        """Guest output dropped because it came faster than it could be shown."""
        self._drainer = QTimer(self)
        self._drainer.setSingleShot(True)
        self._drainer.setInterval(0)
        self._drainer.timeout.connect(self._drain_some)
        self._cells_painter = CellPainter()
        self._base_size = self._cells_painter.base_size
        self._point_size = self._base_size
        self._apply_font()

    # -- output ------------------------------------------------------------

    @property
    def terminal(self) -> Terminal:
        return self._term

    def feed(self, data: bytes) -> None:
        """Append guest output; the screen is repainted on the next frame.

        Output is processed at once for up to ``FEED_BUDGET`` seconds; what
        is left (output that is slow to process, such as a flood of screen
        clears, or more than the view keeps up with) waits for the next turns
        of the event loop, so the window stays responsive. A reader that can
        pause may stop reading while ``backlog()`` is large and resume on
        ``drained``. Past ``max_backlog`` bytes waiting, the
        oldest waiting output is dropped (counted in ``dropped_bytes``):
        memory stays bounded and the screen shows the newest output.
        """
        if not data:
            return
        waiting = bool(self._backlog)
        self._backlog.append(bytes(data))
        self._backlog_size += len(data)
        if waiting:
            self._trim_backlog()
        else:
            self._drain(FEED_BUDGET)
        if self._backlog and not self._drainer.isActive():
            self._drainer.start()
        if not self._frame.isActive():
            self._frame.start()

    def _trim_backlog(self) -> None:
        while self._backlog_size > self.max_backlog and len(self._backlog) > 1:
            chunk = self._backlog.popleft()
            lost = len(chunk) - self._backlog_pos
            self._backlog_pos = 0
            self._backlog_size -= lost
            self.dropped_bytes += lost

    def flush(self) -> None:
        """Process all output still waiting (``terminal`` is then up to date)."""
        self._drain(None)

    def backlog(self) -> int:
        """Bytes of guest output received but not processed yet."""
        return self._backlog_size

    def _drain(self, budget: float | None) -> None:
        deadline = time.perf_counter() + (budget or 0.0)
        backlog = self._backlog
        feed = self._term.feed
        while backlog:
            chunk = backlog[0]
            start = self._backlog_pos
            end = start + FEED_SLICE
            feed(chunk[start:end])
            if end >= len(chunk):
                backlog.popleft()
                self._backlog_pos = 0
            else:
                self._backlog_pos = end
            self._backlog_size -= min(end, len(chunk)) - start
            if budget is not None and time.perf_counter() >= deadline:
                break

    def _drain_some(self) -> None:
        self._drain(DRAIN_BUDGET)
        if self._backlog:
            self._drainer.start()
        else:
            self.drained.emit()
        if not self._frame.isActive():
            self._frame.start()

    def reset(self) -> None:
        self._backlog.clear()
        self._backlog_size = self._backlog_pos = 0
        self._term.reset()
        self._offset = 0
        self._seen_total = self._term.scrolled_total
        self._refresh()

    # -- text, scrollback and zoom -----------------------------------------

    def screen_text(self) -> str:
        self.flush()
        return self._term.text()

    def history_text(self) -> str:
        self.flush()
        return self._term.history_text()

    def set_scrollback(self, lines: int) -> None:
        self._term.set_scrollback(lines)
        self._offset = min(self._offset, len(self._term.history))
        self._refresh()

    def set_font_choice(self, family: str, points: float) -> None:
        """The font chosen in Preferences: "" and 0 stand for the desktop's."""
        painter = self._cells_painter
        painter.families[0] = family or painter.system_family
        self._base_size = points or painter.base_size
        self._zoom(self._base_size)

    def font_family(self) -> str:
        return self._cells_painter.families[0]

    def zoom_in(self) -> None:
        self._zoom(min(self._point_size + 1, MAX_POINT_SIZE))

    def zoom_out(self) -> None:
        self._zoom(max(self._point_size - 1, MIN_POINT_SIZE))

    def zoom_reset(self) -> None:
        self._zoom(self._base_size)

    def font_point_size(self) -> float:
        """The font size in points, after zooming."""
        return self._point_size

    def scroll_lines(self, delta: int) -> None:
        """Scroll the view back (positive) or forward (negative) by lines."""
        self._offset = max(0, min(self._offset + delta, len(self._term.history)))
        self._sync_scrollbar()
        self.viewport().update()

    # -- fonts and geometry ----------------------------------------------

    def _zoom(self, size: float) -> None:
        self._point_size = size
        self._apply_font()

    def _apply_font(self) -> None:
        self._cells_painter.set_point_size(self._point_size)
        self._cw = self._cells_painter.cw
        self._ch = self._cells_painter.ch
        self.setFont(self._cells_painter.font)
        self._fit()
        self.viewport().update()

    def _fit(self) -> None:
        size = self.viewport().size()
        cols = max(2, (size.width() - 2 * PAD) // self._cw)
        rows = max(1, (size.height() - 2 * PAD) // self._ch)
        self._term.resize(cols, rows)
        self._sync_scrollbar()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth() + 2 * PAD
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(80 * self._cw + frame + bar, 24 * self._ch + frame)

    # -- scrolling ---------------------------------------------------------

    def _sync_scrollbar(self) -> None:
        bar = self.verticalScrollBar()
        total = len(self._term.history)
        bar.blockSignals(True)
        bar.setRange(0, total)
        bar.setPageStep(self._term.rows)
        bar.setValue(total - self._offset)
        bar.blockSignals(False)

    def _on_scrollbar(self, value: int) -> None:
        self._offset = max(0, len(self._term.history) - value)
        self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() // 40
        if steps:
            self.scroll_lines(steps)

    def _refresh(self) -> None:
        term = self._term
        grown = term.scrolled_total - self._seen_total
        self._seen_total = term.scrolled_total
        if self._offset and grown:
            self._offset = min(self._offset + grown, len(term.history))
        self._sync_scrollbar()
        dirty = term.take_dirty()
        if dirty is None or self._offset or grown:
            self.viewport().update()
        else:
            # The row the cursor left and the one it is on change too.
            dirty.update((self._cursor_row, term.y))
            width = self.viewport().width()
            for row in dirty:
                self.viewport().update(QRect(0, PAD + row * self._ch, width, self._ch))
        self._cursor_row = term.y

    # -- painting ----------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        pal = self.palette()
        bg = pal.base().color()
        fg = pal.text().color()
        clip = event.rect()
        painter.fillRect(clip, bg)
        first = max(0, (clip.top() - PAD) // self._ch)
        last = min(self._term.rows - 1, (clip.bottom() - PAD) // self._ch)
        painter.translate(PAD, PAD)
        cells = self._cells_painter
        cells.paint_rows(painter, self._term, range(first, last + 1), self._offset, fg, bg)
        self._paint_overlay(painter, first, last)
        cells.paint_cursor(painter, self._term, self._offset, self.hasFocus(), fg, bg)
        painter.end()

    def _paint_overlay(self, painter: QPainter, first: int, last: int) -> None:
        """Paint over rows ``first``..``last``, under the cursor (nothing here)."""
