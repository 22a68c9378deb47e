"""The "Add Connection" dialog: pick a hypervisor, get a libvirt URI.

Each hypervisor kind contributes form rows of its own, and ``_build_uri``
turns the visible fields into one URI. Options that change the URI of
several kinds at once (a remote host, a transport) fit in as further rows
that ``_build_uri`` folds in after the kind's own part.
"""

from __future__ import annotations

import enum
import os
import re
import unicodedata
from urllib.parse import quote

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages

TEST_DEFAULT_URI = "test:///default"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class Kind(enum.Enum):
    SYSTEM = "system"
    SESSION = "session"
    TEST = "test"
    CUSTOM = "custom"


_FIXED_URIS = {Kind.SYSTEM: "qemu:///system", Kind.SESSION: "qemu:///session"}


def _bad_char(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def uri_problem(uri: str) -> str:
    """Why ``uri`` cannot be used, or "" when it looks like a libvirt URI."""
    if not uri:
        return messages.tr("Enter a URI, for example qemu:///system.")
    if any(_bad_char(ch) for ch in uri):
        return messages.tr("A URI cannot contain spaces or control characters.")
    if not _SCHEME.match(uri):
        return messages.tr(
            "A URI starts with a driver name and a colon, for example qemu:///system."
        )
    return ""


def uri_for_test_file(path: str) -> str:
    """``test:///abs/path`` for an absolute file path, percent-encoding what URIs cannot hold."""
    return "test://" + quote(path, safe="/-._~!$&'()*+,;=:@")


def problem_of_test_file(path: str) -> str:
    """Why ``path`` cannot be a test-driver file, or "" (an empty path means test:///default)."""
    if not path:
        return ""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in path):
        return messages.tr("The file path cannot contain control characters.")
    if not os.path.isabs(path):
        return messages.tr("The file path must be absolute, for example /home/me/host.xml.")
    return ""


class AddConnectionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add Connection"))
        self.setMinimumWidth(520)

        self.hypervisor = QComboBox()
        for label, kind in (
            (self.tr("QEMU/KVM"), Kind.SYSTEM),
            (self.tr("QEMU/KVM user session"), Kind.SESSION),
            (self.tr("Test driver (file)"), Kind.TEST),
            (self.tr("Custom URI"), Kind.CUSTOM),
        ):
            self.hypervisor.addItem(label, kind.value)

        # Kind.TEST
        self.test_path = QLineEdit()
        self.test_path.setPlaceholderText(self.tr("Empty: libvirt's built-in test host"))
        self.test_path.setClearButtonEnabled(True)
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        self.test_row = QWidget()
        test_layout = QHBoxLayout(self.test_row)
        test_layout.setContentsMargins(0, 0, 0, 0)
        test_layout.addWidget(self.test_path, 1)
        test_layout.addWidget(self.browse_button)

        # Kind.CUSTOM
        self.custom_uri = QLineEdit()
        self.custom_uri.setPlaceholderText("qemu+ssh://user@host/system")

        self.generated = QLineEdit()
        self.generated.setReadOnly(True)
        self.generated.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.generated.setFrame(False)

        self.autoconnect_box = QCheckBox(self.tr("Autoconnect"))
        self.autoconnect_box.setChecked(True)

        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(self.tr("&Hypervisor:"), self.hypervisor)
        self.form.addRow(self.tr("&File:"), self.test_row)
        self.form.addRow(self.tr("&URI:"), self.custom_uri)
        self.form.addRow(self.tr("Generated URI:"), self.generated)
        self.form.addRow("", self.autoconnect_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Connect"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.hypervisor.currentIndexChanged.connect(self._kind_changed)
        self.test_path.textChanged.connect(self._sync)
        self.custom_uri.textChanged.connect(self._sync)
        self._kind_changed()

    # -- public API -------------------------------------------------------

    def kind(self) -> Kind:
        return Kind(self.hypervisor.currentData())

    def set_kind(self, kind: Kind) -> None:
        self.hypervisor.setCurrentIndex(self.hypervisor.findData(kind.value))

    def uri(self) -> str:
        return self._build_uri()

    def autoconnect(self) -> bool:
        return self.autoconnect_box.isChecked()

    def problem_text(self) -> str:
        """Why the current input is refused, or ""."""
        return self._problem()

    # -- building and checking --------------------------------------------

    def _test_file(self) -> str:
        return os.path.expanduser(self.test_path.text().strip())

    def _build_uri(self) -> str:
        kind = self.kind()
        if kind is Kind.TEST:
            path = self._test_file()
            return uri_for_test_file(path) if path else TEST_DEFAULT_URI
        if kind is Kind.CUSTOM:
            return self.custom_uri.text().strip()
        return _FIXED_URIS[kind]

    def _problem(self) -> str:
        if self.kind() is Kind.TEST:
            problem = problem_of_test_file(self._test_file())
            if problem:
                return problem
        return uri_problem(self._build_uri())

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.form.setRowVisible(self.test_row, kind is Kind.TEST)
        self.form.setRowVisible(self.custom_uri, kind is Kind.CUSTOM)
        self._sync()
        if kind is Kind.CUSTOM:
            self.custom_uri.setFocus()
        elif kind is Kind.TEST:
            self.test_path.setFocus()

    def _sync(self) -> None:
        self.generated.setText(self._build_uri())
        problem = self._problem()
        self.problem.setText(problem)
        # An empty custom field is not an error yet, just incomplete.
        show = bool(problem) and not (
            self.kind() is Kind.CUSTOM and not self.custom_uri.text().strip()
        )
        self.problem.setVisible(show)
        self.ok_button.setEnabled(not problem)

    def _browse(self) -> None:
        start = os.path.dirname(self._test_file()) or os.path.expanduser("~")
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a Test Driver Host File"),
            start,
            self.tr("libvirt test driver XML (*.xml);;All files (*)"),
        )
        if path:
            self.test_path.setText(path)
