"""The XML tab's secrets: masked in the editor unless the user reveals them.

The tab reads a definition with its VNC and SPICE passwords (where the
connection may). The editor shows each as ``MASK``; "Show Passwords" puts
the real values in the editor, and hiding them again keeps whatever the
user typed. ``full_text`` is the editor's text with the real values, the
text a save defines.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.domxml import secrets
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor


class HiddenSecrets(QObject):
    """Masks ``editor``'s secrets; ``reveal_button`` shows them."""

    revealChanged = Signal(bool)

    def __init__(self, editor: XmlEditor, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.hidden: dict[tuple[secrets.Key, str], str] = {}
        self.reveal_button = QPushButton(tr("Show &Passwords"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.setToolTip(
            tr("Show the VNC and SPICE passwords in the XML instead of dots")
        )
        self.reveal_button.setVisible(False)
        self.reveal_button.toggled.connect(self._toggled)

    @property
    def revealed(self) -> bool:
        return self.reveal_button.isChecked()

    def display(self, full: str) -> str:
        """``full`` as the editor shows it: its secrets masked unless revealed."""
        return full if self.revealed else secrets.mask(full)[0]

    def show_text(self, full: str) -> None:
        """Put ``full`` in the editor, its secrets masked unless revealed."""
        if self.revealed:
            text, self.hidden = full, {}
        else:
            text, self.hidden = secrets.mask(full)
        self.editor.setPlainText(text)
        self.reveal_button.setVisible(
            self.revealed or bool(self.hidden) or secrets.may_hold_secrets(full)
        )

    def snapshot(self) -> tuple[str, dict[tuple[secrets.Key, str], str], bool]:
        """What ``restore`` needs to show the editor's text again later."""
        return self.editor.toPlainText(), dict(self.hidden), self.revealed

    def restore(
        self, text: str, hidden: dict[tuple[secrets.Key, str], str], revealed: bool
    ) -> None:
        """Show a ``snapshot`` again, masked or not as the button says now."""
        self.hidden = dict(hidden)
        if revealed and not self.revealed:
            text, found = secrets.mask(text)
            self.hidden.update(found)
        elif self.revealed and not revealed:
            text = secrets.unmask(text, self.hidden, strict=False)
        self.editor.setPlainText(text)
        self.reveal_button.setVisible(
            self.revealed or bool(self.hidden) or secrets.may_hold_secrets(text)
        )

    def full_text(self) -> str:
        """The editor's text with the real secrets; raises ``HiddenSecretLost``."""
        text = self.editor.toPlainText()
        return text if self.revealed else secrets.unmask(text, self.hidden)

    def _toggled(self, on: bool) -> None:
        document = self.editor.document()
        modified = document.isModified()
        line = self.editor.textCursor().blockNumber()
        text = self.editor.toPlainText()
        if on:
            # A placeholder with no secret behind it stays; saving says so.
            text = secrets.unmask(text, self.hidden, strict=False)
        else:
            text, found = secrets.mask(text)
            self.hidden.update(found)
        self.editor.setPlainText(text)
        document.setModified(modified)
        cursor = QTextCursor(document.findBlockByNumber(line))
        self.editor.setTextCursor(cursor)
        self.reveal_button.setText(tr("Hide &Passwords") if on else tr("Show &Passwords"))
        self.revealChanged.emit(on)
