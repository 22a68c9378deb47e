"""A terminal widget for a guest's serial console.

Guest output goes to a ``core.terminal.Terminal`` at once (``feed``); the
widget repaints at most about 60 times a second, and only the rows that
changed when nothing scrolled (``terminal_display.TerminalDisplay``). This
module adds what the user does with it: selecting text with the mouse,
copying and pasting, the context menu and the keyboard. Keys and pastes leave
as ``inputBytes``, encoded as an xterm would send them. Nothing the guest
sends reaches the clipboard or a window title.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
)
from PySide6.QtWidgets import QMenu, QWidget

from kvmdesk.core.terminal import char_width
from kvmdesk.ui.domain.console.terminal_display import PAD, TerminalDisplay
from kvmdesk.ui.domain.console.terminal_keys import key_bytes, paste_bytes

__all__ = ["PAD", "WORD_CHARS", "Position", "TerminalView"]

WORD_CHARS = "-_.,/~:@+%=?&#"

Position = tuple[int, int]
"""(line id, column); line ids count every line ever printed, so they stay put."""


class TerminalView(TerminalDisplay):
    """The console's terminal: output shown, text selected, keys sent to the guest."""

    inputBytes = Signal(bytes)

    def __init__(self, parent: QWidget | None = None, scrollback: int = 10_000) -> None:
        super().__init__(parent, scrollback)
        self._input = True
        self._sel_anchor: Position | None = None
        self._sel_end: Position | None = None
        self._selecting = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self._copy_action = QAction(self.tr("Copy"), self)
        self._copy_action.triggered.connect(self.copy)
        self._paste_action = QAction(self.tr("Paste"), self)
        self._paste_action.triggered.connect(self.paste)
        # Shown in the menu only; keyPressEvent handles the keys themselves.
        for action, keys in (
            (self._copy_action, "Ctrl+Shift+C"),
            (self._paste_action, "Ctrl+Shift+V"),
        ):
            action.setShortcut(QKeySequence(keys))
            action.setShortcutVisibleInContextMenu(True)

    # -- public interface ------------------------------------------------

    def reset(self) -> None:
        self._clear_selection()
        super().reset()

    def set_input_enabled(self, enabled: bool) -> None:
        self._input = enabled

    def input_enabled(self) -> bool:
        return self._input

    def selected_text(self) -> str:
        span = self._selection()
        if span is None:
            return ""
        (l0, c0), (l1, c1) = span
        out: list[str] = []
        for line_id in range(l0, l1 + 1):
            index = self._index(line_id)
            if index is None:
                continue
            cells = self._cells(index)
            start = c0 if line_id == l0 else 0
            end = c1 if line_id == l1 else len(cells)
            piece = "".join(cells[start:end])
            wrapped = self._term.line_wrapped(index) and line_id != l1
            out.append(piece if wrapped else piece.rstrip() + ("\n" if line_id != l1 else ""))
        return "".join(out)

    def copy(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def paste(self) -> None:
        self._paste(QGuiApplication.clipboard().text())

    # -- selection -----------------------------------------------------------

    def _index(self, line_id: int) -> int | None:
        """Line index in the terminal (negative: history) of a line id, if kept."""
        index = line_id - self._term.scrolled_total
        if -len(self._term.history) <= index < self._term.rows:
            return index
        return None

    def _cells(self, index: int) -> list[str]:
        """One string per column of a line (the right half of a wide char is "")."""
        if index >= 0:
            return list(self._term.buffer[index].chars)
        cells: list[str] = []
        for col, text, _style in self._term.line_runs(index):
            cells.extend(" " * (col - len(cells)))
            for c in text:
                cells.append(c)
                if char_width(c) == 2:
                    cells.append("")
        return cells + [" "] * max(0, self._term.cols - len(cells))

    def _position(self, point: QPoint) -> Position:
        row = max(0, min((point.y() - PAD) // self._ch, self._term.rows - 1))
        col = max(0, min((point.x() - PAD + self._cw // 2) // self._cw, self._term.cols))
        return (self._term.scrolled_total - self._offset + row, col)

    def _selection(self) -> tuple[Position, Position] | None:
        if self._sel_anchor is None or self._sel_end is None:
            return None
        a, b = sorted((self._sel_anchor, self._sel_end))
        return None if a == b else (a, b)

    def _clear_selection(self) -> None:
        self._sel_anchor = self._sel_end = None
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._sel_anchor = self._sel_end = self._position(event.position().toPoint())
            self._selecting = True
            self.viewport().update()
        elif event.button() == Qt.MouseButton.MiddleButton:
            clipboard = QGuiApplication.clipboard()
            text = clipboard.text(clipboard.Mode.Selection) if clipboard.supportsSelection() else ""
            self._paste(text or clipboard.text())
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._selecting:
            self._sel_end = self._position(event.position().toPoint())
            self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._selecting:
            self._selecting = False
            self._publish_selection()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        line_id, col = self._position(event.position().toPoint())
        col = max(0, min((event.position().toPoint().x() - PAD) // self._cw, self._term.cols - 1))
        index = self._index(line_id)
        if index is None:
            return
        cells = self._cells(index)

        def word(c: str) -> bool:
            return c == "" or c.isalnum() or (len(c) == 1 and c in WORD_CHARS)

        if not word(cells[col]) or cells[col] == "":
            if cells[col] == "" and col:
                col -= 1
            if not word(cells[col]):
                return
        start = col
        while start > 0 and word(cells[start - 1]):
            start -= 1
        end = col + 1
        while end < len(cells) and word(cells[end]):
            end += 1
        self._sel_anchor, self._sel_end = (line_id, start), (line_id, end)
        self._selecting = False
        self._publish_selection()
        self.viewport().update()

    def _publish_selection(self) -> None:
        clipboard = QGuiApplication.clipboard()
        text = self.selected_text()
        if text and clipboard.supportsSelection():
            clipboard.setText(text, clipboard.Mode.Selection)

    def _paint_overlay(self, painter: QPainter, first: int, last: int) -> None:
        # The selection, over the text and under the cursor.
        span = self._selection()
        if span is None:
            return
        (l0, c0), (l1, c1) = span
        color = QColor(self.palette().highlight().color())
        color.setAlpha(110)
        base = self._term.scrolled_total - self._offset
        for row in range(first, last + 1):
            line_id = base + row
            if l0 <= line_id <= l1:
                start = c0 if line_id == l0 else 0
                end = c1 if line_id == l1 else self._term.cols
                if end > start:
                    self._cells_painter.fill_cells(painter, row, start, end, color)

    # -- context menu ------------------------------------------------------

    def context_menu(self) -> QMenu:
        """The right-click menu: Copy and Paste (deleted when closed)."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._copy_action.setEnabled(bool(self.selected_text()))
        self._paste_action.setEnabled(self._input and bool(QGuiApplication.clipboard().text()))
        menu.addAction(self._copy_action)
        menu.addAction(self._paste_action)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu().popup(event.globalPos())

    # -- keyboard ------------------------------------------------------------

    def _paste(self, text: str) -> None:
        if self._input and text:
            self._send(paste_bytes(text, self._term.bracketed_paste))

    def _send(self, data: bytes) -> None:
        if self._offset:
            self.scroll_lines(-self._offset)
        self.inputBytes.emit(data)

    def _key_bytes(self, event: QKeyEvent) -> bytes | None:
        term = self._term
        return key_bytes(event, term.application_cursor_keys, term.application_keypad)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Text composed with an input method (Chinese, Japanese, ...) goes to the guest.
        text = event.commitString()
        if text and self._input:
            self._send(text.encode("utf-8", "replace"))
        event.accept()

    def inputMethodQuery(self, query: Qt.InputMethodQuery) -> Any:
        if query == Qt.InputMethodQuery.ImCursorRectangle:
            term = self._term
            return QRect(
                PAD + term.cursor.x * self._cw, PAD + term.y * self._ch, self._cw, self._ch
            )
        if query == Qt.InputMethodQuery.ImFont:
            return self._cells_painter.font
        if query == Qt.InputMethodQuery.ImEnabled:
            return self._input
        return super().inputMethodQuery(query)

    def _local_action(self, event: QKeyEvent) -> str | None:
        """The view's own shortcuts, which are never sent to the guest."""
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = event.key()
        ctrl = Qt.KeyboardModifier.ControlModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        if mods == ctrl | shift and key == Qt.Key.Key_C:
            return "copy"
        if mods == ctrl | shift and key == Qt.Key.Key_V:
            return "paste"
        if mods == shift and key == Qt.Key.Key_PageUp:
            return "page_up"
        if mods == shift and key == Qt.Key.Key_PageDown:
            return "page_down"
        zoom_mods = mods in (ctrl, ctrl | shift)
        if zoom_mods and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            return "zoom_in"
        if mods == ctrl and key == Qt.Key.Key_Minus:
            return "zoom_out"
        if mods == ctrl and key == Qt.Key.Key_0:
            return "zoom_reset"
        return None

    def event(self, event: QEvent) -> bool:
        # Keys for the guest win over the window's shortcuts.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (self._local_action(event) is not None or (self._input and self._key_bytes(event)))
        ):
            event.accept()
            return True
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.viewport().update()  # the cursor turns from an outline into a block

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    def focusNextPrevChild(self, next: bool) -> bool:
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._local_action(event)
        if action == "copy":
            self.copy()
        elif action == "paste":
            self.paste()
        elif action == "page_up":
            self.scroll_lines(max(1, self._term.rows - 1))
        elif action == "page_down":
            self.scroll_lines(-max(1, self._term.rows - 1))
        elif action == "zoom_in":
            self.zoom_in()
        elif action == "zoom_out":
            self.zoom_out()
        elif action == "zoom_reset":
            self.zoom_reset()
        elif self._input:
            data = self._key_bytes(event)
            if data:
                self._send(data)
                return
            super().keyPressEvent(event)
        else:
            event.ignore()
