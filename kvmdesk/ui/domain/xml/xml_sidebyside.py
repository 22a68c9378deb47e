"""Two XML documents side by side, scrolled together, the differing lines shaded.

The XML tab compares the running configuration with the next-boot one
(``xml_compare``); the same view shows what a save would overwrite (a
change by someone else) and what Define from XML would replace
(``xml_diff_dialog``).
"""

from __future__ import annotations

import difflib

from PySide6.QtGui import QColor, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import QSplitter, QTextEdit, QVBoxLayout, QWidget

from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor


def line_differences(left: str, right: str) -> tuple[list[int], list[int]]:
    """The 0-based lines of ``left`` and of ``right`` that the other lacks."""
    matcher = difflib.SequenceMatcher(None, left.splitlines(), right.splitlines(), autojunk=False)
    left_lines: list[int] = []
    right_lines: list[int] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            left_lines += range(i1, i2)
            right_lines += range(j1, j2)
    return left_lines, right_lines


def shade_lines(editor: XmlEditor, lines: list[int]) -> None:
    """Shade whole ``lines`` (0-based) of ``editor``; no lines clears the shading."""
    colour = QColor(editor.palette().color(QPalette.ColorRole.Highlight))
    colour.setAlpha(60)
    marks = []
    document = editor.document()
    for line in lines:
        mark = QTextEdit.ExtraSelection()
        mark.format.setBackground(colour)
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        mark.cursor = QTextCursor(document.findBlockByNumber(line))
        marks.append(mark)
    editor.setExtraSelections(marks)


def scroll_together(first: XmlEditor, second: XmlEditor) -> None:
    """Lines side by side stay side by side."""
    first.verticalScrollBar().valueChanged.connect(second.verticalScrollBar().setValue)
    second.verticalScrollBar().valueChanged.connect(first.verticalScrollBar().setValue)


class SideBySide(QWidget):
    """Two read-only XML documents with their titles; ``differ`` lines differ."""

    def __init__(
        self,
        left_title: str,
        left_text: str,
        right_title: str,
        right_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.left_editor = XmlEditor()
        self.right_editor = XmlEditor()
        self.left_title = dim(plain_label(left_title, selectable=False))
        self.right_title = dim(plain_label(right_title, selectable=False))
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        for title, editor, text in (
            (self.left_title, self.left_editor, left_text),
            (self.right_title, self.right_editor, right_text),
        ):
            editor.setReadOnly(True)
            editor.setPlainText(text)
            panel = QWidget()
            column = QVBoxLayout(panel)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(title)
            column.addWidget(editor, 1)
            splitter.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        scroll_together(self.left_editor, self.right_editor)
        left_lines, right_lines = line_differences(left_text, right_text)
        shade_lines(self.left_editor, left_lines)
        shade_lines(self.right_editor, right_lines)
        self.differ = max(len(left_lines), len(right_lines))
        if right_lines:  # start where the first difference is
            block = self.right_editor.document().findBlockByNumber(right_lines[0])
            self.right_editor.setTextCursor(QTextCursor(block))
            self.right_editor.ensureCursorVisible()
