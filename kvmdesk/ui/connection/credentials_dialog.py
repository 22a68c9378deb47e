"""The dialog that answers libvirt's own credential requests (openAuth).

The worker that opens the connection waits while this dialog is up; the
dialog is opened with open(), never exec(), so the loop keeps running.
Prompts come from the host and are shown as plain text; answers go to
libvirt only and are never kept.

A fleet opens its hosts together, so several may ask at once: the questions
queue and are shown one at a time, each naming the connection that asks.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.credentials import CredentialBroker, CredentialRequest
from kvmdesk.virt.shown import shown


class CredentialDialog(QDialog):
    def __init__(self, request: CredentialRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setWindowTitle(self.tr("Authentication Required"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if request.uri:
            text = self.tr("The libvirt service at {0} asks for credentials.")
            intro = QLabel(text.format(shown(request.uri)), self)
        else:
            intro = QLabel(self.tr("The libvirt service asks for credentials."), self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.fields: list[QLineEdit] = []
        for cred in request.creds:
            label = QLabel(cred.prompt or self.tr("Value:"), self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            field = QLineEdit(self)
            field.setText(cred.default)
            if cred.secret:
                field.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, field)
            self.fields.append(field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def accept(self) -> None:
        for cred, field in zip(self.request.creds, self.fields, strict=True):
            cred.result = field.text()
        self.request.answer()
        super().accept()

    def reject(self) -> None:
        self.request.cancel()
        super().reject()


def attach(broker: CredentialBroker, parent: QWidget) -> None:
    """Answer the broker's requests with dialogs over ``parent``, one at a time."""
    waiting: deque[CredentialRequest] = deque()
    current: list[CredentialDialog] = []  # the dialog up, if any

    def show_next() -> None:
        while waiting and not current:
            request = waiting.popleft()
            if not request.pending:  # cancelled while it waited its turn
                continue
            dialog = CredentialDialog(request, parent)
            current.append(dialog)
            dialog.finished.connect(lambda _r, d=dialog: finished(d))
            dialog.open()

    def finished(dialog: CredentialDialog) -> None:
        if dialog in current:
            current.remove(dialog)
        show_next()

    def ask(request: CredentialRequest) -> None:
        waiting.append(request)
        show_next()

    def withdraw(request: CredentialRequest) -> None:
        if request in waiting:
            waiting.remove(request)
        for dialog in current:
            if dialog.request is request:
                dialog.done(QDialog.DialogCode.Rejected)

    broker.requested.connect(ask)
    broker.withdrawn.connect(withdraw)
