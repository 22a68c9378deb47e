"""An XML text editor: syntax colours from the palette, and line numbers.

The colours are palette roles (link, highlight, placeholder text), so the
editor reads well in light and dark themes alike.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

_IN_COMMENT = 1  # block state: a comment is still open at the end of the block

_TAG = QRegularExpression(r"</?[\w:.-]+|/?>|<\?[\w:.-]+|\?>")
_ATTRIBUTE = QRegularExpression(r"[\w:.-]+(?=\s*=)")
_VALUE = QRegularExpression(r"\"[^\"]*\"|'[^']*'")
_COMMENT_START = QRegularExpression(r"<!--")
_COMMENT_END = QRegularExpression(r"-->")


def _format(color: QColor, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(color)
    if bold:
        fmt.setFontWeight(700)
    fmt.setFontItalic(italic)
    return fmt


class XmlHighlighter(QSyntaxHighlighter):
    """Tags, attribute names, quoted values and (multi-line) comments."""

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        super().__init__(document)
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        self.tag = _format(palette.color(QPalette.ColorRole.Link), bold=True)
        self.attribute = _format(palette.color(QPalette.ColorRole.LinkVisited))
        self.value = _format(palette.color(QPalette.ColorRole.Highlight))
        self.comment = _format(palette.color(QPalette.ColorRole.PlaceholderText), italic=True)
        self.rehighlight()

    def _apply(self, text: str, pattern: QRegularExpression, fmt: QTextCharFormat) -> None:
        matches = pattern.globalMatch(text)
        while matches.hasNext():
            match = matches.next()
            self.setFormat(match.capturedStart(), match.capturedLength(), fmt)

    def highlightBlock(self, text: str) -> None:
        self._apply(text, _TAG, self.tag)
        self._apply(text, _ATTRIBUTE, self.attribute)
        self._apply(text, _VALUE, self.value)
        # Comments last: they win over whatever the patterns above found in them.
        self.setCurrentBlockState(0)
        start = 0
        if self.previousBlockState() != _IN_COMMENT:
            start = _COMMENT_START.match(text).capturedStart()
        while start >= 0:
            end = _COMMENT_END.match(text, start).capturedEnd()
            if end < 0:
                self.setCurrentBlockState(_IN_COMMENT)
                self.setFormat(start, len(text) - start, self.comment)
                break
            self.setFormat(start, end - start, self.comment)
            start = _COMMENT_START.match(text, end).capturedStart()


class _LineNumbers(QWidget):
    def __init__(self, editor: XmlEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_line_numbers(self, event)


def is_find_key(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Find)


class XmlEditor(QPlainTextEdit):
    """A plain-text editor for XML in a fixed-width font, with line numbers.

    Ctrl+F in the editor asks for the page's find field (``findRequested``)
    instead of triggering the main window's Find action.
    """

    findRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        self.highlighter = XmlHighlighter(self.document(), self.palette())
        self.numbers = _LineNumbers(self)
        self.blockCountChanged.connect(self._update_margin)
        self.updateRequest.connect(self._scroll_numbers)
        self._update_margin()

    def line_number_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_margin(self, _count: int = 0) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self.numbers.scroll(0, dy)
        else:
            self.numbers.update(0, rect.y(), self.numbers.width(), rect.height())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and is_find_key(event):
            event.accept()  # ours while the editor has the focus
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_find_key(event):
            self.findRequested.emit()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a theme switch: recolour
            self.highlighter.set_palette(self.palette())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self.numbers.setGeometry(
            QRect(area.left(), area.top(), self.line_number_width(), area.height())
        )

    def paint_line_numbers(self, widget: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(widget)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        offset = self.contentOffset()
        top = round(self.blockBoundingGeometry(block).translated(offset).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                painter.drawText(
                    0,
                    top,
                    widget.width() - 6,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(number + 1),
                )
            block = block.next()
            top = bottom
            number += 1
        painter.end()
