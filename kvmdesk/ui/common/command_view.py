"""A command line shown in a dialog before the user clicks OK, with Copy.

Hidden characters in names are written out on screen (``virt.shown``);
Copy puts the exact text on the clipboard, ready to paste into a shell.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.models.command_log_model import note_texts
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.virt.commands import Command
from kvmdesk.virt.shown import reveal


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class CommandView(QWidget):
    """ "Equivalent command" with the text, a Copy button and the notes."""

    def __init__(self, parent: QWidget | None = None, lines: int = 4) -> None:
        super().__init__(parent)
        self.command: Command | None = None
        self.title = QLabel(self.tr("Equivalent command:"), self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        # Made before the text: Tab reaches it first, as it is read (on the title's line).
        self.copy = QPushButton(self.tr("Copy"), self)
        self.copy.setToolTip(self.tr("Copy the command to the clipboard"))
        self.copy.clicked.connect(self._copy)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setAccessibleName(self.tr("Equivalent command"))
        height = self.text.fontMetrics().lineSpacing() * lines + 12
        self.text.setFixedHeight(height)
        self.notes = plain_label()
        self.notes.hide()
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title, 1)
        head.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.text)
        layout.addWidget(self.notes)
        self.set_command(None)

    def set_command(self, command: Command | None, missing: str = "") -> None:
        """Show ``command``; None shows ``missing`` (why there is none yet)."""
        self.command = command
        self.copy.setEnabled(command is not None)
        if command is None:
            self.text.setPlainText(missing)
            self.notes.hide()
            return
        self.text.setPlainText(reveal(command.script(), keep_lines=True))
        notes = note_texts(command.notes)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def _copy(self) -> None:
        if self.command is not None:
            copy_text(self.command.script())


def command_row(
    form: QFormLayout,
    build: Callable[[], Command | None],
    *signals: SignalInstance,
    lines: int = 4,
) -> CommandView:
    """A ``CommandView`` of ``lines`` lines under ``form``, rebuilt by ``build``
    whenever one of ``signals`` fires; ``build`` returns None while the input
    is not valid."""
    view = CommandView(lines=lines)

    def update(*_args: object) -> None:
        command = build()
        view.set_command(command, tr("The command appears once the input is valid."))

    for signal in signals:
        signal.connect(update)
    form.addRow(view)
    update()
    return view
