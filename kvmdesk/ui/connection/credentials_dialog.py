"""The dialog that answers libvirt's own credential requests (openAuth).

The worker that opens the connection waits while this dialog is up; the
dialog is opened with open(), never exec(), so the loop keeps running.
Prompts come from the host and are shown as plain text; answers go to
libvirt only and are never kept.
"""

from __future__ import annotations

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


class CredentialDialog(QDialog):
    def __init__(self, request: CredentialRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self.setWindowTitle(self.tr("Authentication Required"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        intro = QLabel(self.tr("The libvirt service asks for credentials."), self)
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
    """Answer the broker's requests with dialogs over ``parent``."""
    open_dialogs: dict[int, CredentialDialog] = {}

    def show(request: CredentialRequest) -> None:
        dialog = CredentialDialog(request, parent)
        open_dialogs[id(request)] = dialog
        dialog.finished.connect(lambda _r: open_dialogs.pop(id(request), None))
        dialog.open()

    def withdraw(request: CredentialRequest) -> None:
        dialog = open_dialogs.pop(id(request), None)
        if dialog is not None:
            dialog.done(QDialog.DialogCode.Rejected)

    broker.requested.connect(show)
    broker.withdrawn.connect(withdraw)
