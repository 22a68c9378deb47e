"""The dialog ``kvmdesk-askpass`` shows for one question from ssh.

Three kinds of question reach it:

* a password or passphrase: a masked line edit with OK and Cancel;
* an unknown host key ("Are you sure you want to continue connecting
  (yes/no/[fingerprint])?"): the whole prompt, fingerprint included, with
  "Connect" (answers ``yes``) and "Cancel", Cancel being the default;
* a confirmation (``SSH_ASKPASS_PROMPT=confirm``, e.g. ssh-agent's confirm
  constraint): OK and Cancel, no input.

The prompt comes from the remote side and is always shown as plain text.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

HOST_KEY_MARK = "continue connecting (yes/no"


class Kind(enum.Enum):
    PASSWORD = "password"
    HOST_KEY = "host-key"
    CONFIRM = "confirm"


def classify(prompt: str, environ: Mapping[str, str] | None = None) -> Kind:
    """Which kind of question ssh is asking."""
    env = os.environ if environ is None else environ
    if env.get("SSH_ASKPASS_PROMPT", "").strip().lower() == "confirm":
        return Kind.CONFIRM
    if HOST_KEY_MARK in prompt:
        return Kind.HOST_KEY
    return Kind.PASSWORD


class AskpassDialog(QDialog):
    """One question from ssh; ``answer()`` is the text for ssh or None if cancelled."""

    def __init__(self, prompt: str, kind: Kind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(self._title())
        layout = QVBoxLayout(self)

        self.label = QLabel(prompt)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)

        self.edit: QLineEdit | None = None
        if kind is Kind.PASSWORD:
            self.edit = QLineEdit()
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.edit.returnPressed.connect(self.accept)
            layout.addWidget(self.edit)

        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if kind is Kind.HOST_KEY:
            self.ok_button: QPushButton = self.buttons.addButton(
                self.tr("Connect"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            # Connecting to an unverified host must be a deliberate choice.
            self.ok_button.setAutoDefault(False)
            self.ok_button.setDefault(False)
            self.cancel_button.setAutoDefault(True)
            self.cancel_button.setDefault(True)
        else:
            self.ok_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
            self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if self.edit is not None:
            self.edit.setFocus()
        elif kind is Kind.HOST_KEY:
            self.cancel_button.setFocus()

    def _title(self) -> str:
        if self.kind is Kind.HOST_KEY:
            return self.tr("Unknown host key")
        if self.kind is Kind.CONFIRM:
            return self.tr("Confirm")
        return self.tr("SSH password")

    def answer(self) -> str | None:
        """What to print for ssh, or None when the user cancelled."""
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        if self.kind is Kind.HOST_KEY:
            return "yes"
        if self.edit is not None:
            return self.edit.text()
        return ""
