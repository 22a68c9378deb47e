"""The "Add Connection" dialog: pick a hypervisor, get a libvirt URI.

Each hypervisor kind contributes form rows of its own, and ``_build_uri``
turns the visible fields into one URI. Options that change the URI of
several kinds at once (a remote host, a transport) fit in as further rows
that ``_build_uri`` folds in after the kind's own part: the QEMU/KVM kinds
can be reached on a remote host over SSH, like in virt-manager.

Every URI is checked with ``virt.uri.check_uri`` before it leaves the
dialog. A custom URI that makes libvirt run programs, read files or skip
host checks shows what it does and needs the "I understand" box ticked.
"""

from __future__ import annotations

import enum
import os
import unicodedata

from PySide6.QtCore import QSignalBlocker, Qt
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

from kvmdesk.core.messages import tr
from kvmdesk.virt.uri import UriFields, build_uri, check_uri, parse_uri

TEST_DEFAULT_URI = "test:///default"


class Kind(enum.Enum):
    SYSTEM = "system"
    SESSION = "session"
    TEST = "test"
    CUSTOM = "custom"


_QEMU_PATHS = {Kind.SYSTEM: "/system", Kind.SESSION: "/session"}


def uri_problem(uri: str, allow_unsafe: bool = False) -> str:
    """Why ``uri`` cannot be used, or "" (an unsafe URI counts only without ``allow_unsafe``)."""
    problem = check_uri(uri, allow_unsafe=allow_unsafe)
    if problem is None or problem.allowed:
        return ""
    return problem.message


def uri_for_test_file(path: str) -> str:
    """``test:///abs/path`` for an absolute file path, percent-encoding what URIs cannot hold."""
    return build_uri("test", None, None, None, None, path)


def _port_problem(text: str) -> str:
    if text and not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
        return tr("The port must be a number from 1 to 65535.")
    return ""


def problem_of_test_file(path: str) -> str:
    """Why ``path`` cannot be a test-driver file, or "" (an empty path means test:///default)."""
    if not path:
        return ""
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in path):
        return tr("The file path cannot contain control characters.")
    if not os.path.isabs(path):
        return tr("The file path must be absolute, for example /home/me/host.xml.")
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

        # Kind.SYSTEM and Kind.SESSION: optionally on a remote host over SSH
        self.remote_box = QCheckBox(self.tr("Connect to &remote host over SSH"))
        self.user_name = QLineEdit()
        self.user_name.setPlaceholderText(self.tr("Empty: ssh's default"))
        self.host_name = QLineEdit()
        self.host_name.setPlaceholderText("host.example.com")
        self.port = QLineEdit()
        self.port.setPlaceholderText("22")
        self.port.setMaxLength(5)
        self.port.setMaximumWidth(self.port.fontMetrics().horizontalAdvance("0") * 8 + 16)

        # Kind.CUSTOM
        self.custom_uri = QLineEdit()
        self.custom_uri.setPlaceholderText("qemu+ssh://user@host/system")
        self.custom_parts = QLabel()  # the pasted URI, taken apart
        self.custom_parts.setTextFormat(Qt.TextFormat.PlainText)
        self.custom_parts.setWordWrap(True)
        self.unsafe_warning = QLabel()
        self.unsafe_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.unsafe_warning.setWordWrap(True)
        self.understand_box = QCheckBox(self.tr("I understand, use this URI anyway"))
        self.remember_box = QCheckBox(self.tr("Remember for later starts"))
        self.remember_box.setToolTip(
            self.tr(
                "Without this, the URI is checked again at the next start and is not "
                "opened until you accept it again."
            )
        )

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
        self.form.addRow("", self.remote_box)
        self.form.addRow(self.tr("U&ser name:"), self.user_name)
        self.form.addRow(self.tr("Hos&t name:"), self.host_name)
        self.form.addRow(self.tr("&Port:"), self.port)
        self.form.addRow(self.tr("&File:"), self.test_row)
        self.form.addRow(self.tr("&URI:"), self.custom_uri)
        self.form.addRow("", self.custom_parts)
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
        layout.addWidget(self.unsafe_warning)
        layout.addWidget(self.understand_box)
        layout.addWidget(self.remember_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.hypervisor.currentIndexChanged.connect(self._kind_changed)
        self.test_path.textChanged.connect(self._sync)
        self.custom_uri.textChanged.connect(self._sync)
        self.remote_box.toggled.connect(self._kind_changed)
        for field in (self.user_name, self.host_name, self.port):
            field.textChanged.connect(self._sync)
        self.understand_box.toggled.connect(self._sync)
        self._warning_shown = ""
        self._kind_changed()

    # -- public API -------------------------------------------------------

    def kind(self) -> Kind:
        return Kind(self.hypervisor.currentData())

    def edit(self, uri: str, autoconnect: bool) -> None:
        """Turn this into the Edit Connection dialog of a saved ``uri``.

        The fields are filled from the URI when they can say it exactly;
        anything else (query parameters, other drivers) is shown as a custom
        URI, whose warnings need consent again.
        """
        self.setWindowTitle(self.tr("Edit Connection"))
        self.ok_button.setText(self.tr("Save"))
        self.autoconnect_box.setChecked(autoconnect)
        fields = parse_uri(uri)
        kind = Kind.CUSTOM
        if isinstance(fields, UriFields) and not fields.params:
            if fields.driver == "test" and fields.transport is None and not fields.host:
                kind = Kind.TEST
                self.test_path.setText("" if uri == TEST_DEFAULT_URI else fields.path)
            elif (
                fields.driver == "qemu"
                and fields.transport in (None, "ssh")
                and fields.path in _QEMU_PATHS.values()
                and (fields.transport == "ssh") == bool(fields.host)
            ):
                kind = Kind.SYSTEM if fields.path == "/system" else Kind.SESSION
                self.remote_box.setChecked(fields.transport == "ssh")
                self.user_name.setText(fields.user or "")
                self.host_name.setText(fields.host or "")
                self.port.setText("" if fields.port is None else str(fields.port))
        if kind is Kind.CUSTOM or self._build_uri_for(kind) != uri:
            kind = Kind.CUSTOM
            self.custom_uri.setText(uri)
        self.set_kind(kind)
        self._kind_changed()

    def _build_uri_for(self, kind: Kind) -> str:
        current = self.hypervisor.currentIndex()
        with QSignalBlocker(self.hypervisor):
            self.set_kind(kind)
            uri = self._build_uri()
            self.hypervisor.setCurrentIndex(current)
        return uri

    def set_kind(self, kind: Kind) -> None:
        self.hypervisor.setCurrentIndex(self.hypervisor.findData(kind.value))

    def uri(self) -> str:
        return self._build_uri()

    def autoconnect(self) -> bool:
        return self.autoconnect_box.isChecked()

    def consent(self) -> bool:
        """The user accepted the unsafe URI shown (for this start at least)."""
        return bool(self._unsafe_warning()) and self.understand_box.isChecked()

    def remember_consent(self) -> bool:
        """The consent is to be saved with the connection for later starts."""
        return self.consent() and self.remember_box.isChecked()

    def is_remote(self) -> bool:
        """True when a QEMU/KVM kind is to be reached over SSH."""
        return self.kind() in _QEMU_PATHS and self.remote_box.isChecked()

    def problem_text(self) -> str:
        """Why the current input is refused, or ""."""
        return self._problem()

    # -- building and checking --------------------------------------------

    def _test_file(self) -> str:
        return os.path.expanduser(self.test_path.text().strip())

    def _host(self) -> str:
        host = self.host_name.text().strip()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]  # an IPv6 address typed as in a URI
        return host

    def _build_uri(self) -> str:
        kind = self.kind()
        if kind is Kind.TEST:
            path = self._test_file()
            return uri_for_test_file(path) if path else TEST_DEFAULT_URI
        if kind is Kind.CUSTOM:
            return self.custom_uri.text().strip()
        if not self.is_remote():
            return build_uri("qemu", None, None, None, None, _QEMU_PATHS[kind])
        port = self.port.text().strip()
        return build_uri(
            "qemu",
            "ssh",
            self.user_name.text().strip() or None,
            self._host() or None,
            int(port) if port and not _port_problem(port) else None,
            _QEMU_PATHS[kind],
        )

    def _incomplete(self) -> bool:
        """Nothing wrong yet, just not filled in: OK stays off, no reason shown."""
        if self.kind() is Kind.CUSTOM:
            return not self.custom_uri.text().strip()
        return self.is_remote() and not self._host()

    def _problem(self) -> str:
        if self.kind() is Kind.TEST:
            problem = problem_of_test_file(self._test_file())
            if problem:
                return problem
        if self._incomplete():
            if self.kind() is Kind.CUSTOM:
                return tr("Enter a URI, for example qemu:///system.")
            return tr("Enter the name or address of the remote host.")
        if self.is_remote():
            problem = _port_problem(self.port.text().strip())
            if problem:
                return problem
        # Only a custom URI may be unsafe, and only with the box ticked.
        return uri_problem(self._build_uri(), allow_unsafe=self.kind() is Kind.CUSTOM)

    def _unsafe_warning(self) -> str:
        """What the custom URI makes libvirt do that needs consent, or ""."""
        if self.kind() is not Kind.CUSTOM:
            return ""
        problem = check_uri(self._build_uri(), allow_unsafe=True)
        return problem.warning if problem is not None and problem.allowed else ""

    def _parts_text(self, fields: UriFields) -> str:
        """The decoded parts of a custom URI, so what libvirt will use is plain to see."""
        parts = [self.tr("Driver: {0}").format(fields.driver)]
        if fields.transport:
            parts.append(self.tr("Transport: {0}").format(fields.transport))
        if fields.user:
            parts.append(self.tr("User: {0}").format(fields.user))
        if fields.host:
            parts.append(self.tr("Host: {0}").format(fields.host))
        if fields.port is not None:
            parts.append(self.tr("Port: {0}").format(str(fields.port)))
        if fields.path:
            parts.append(self.tr("Path: {0}").format(fields.path))
        for name, value in fields.params:
            parts.append(f"{name}={value}")
        return " · ".join(parts)

    def _kind_changed(self) -> None:
        kind = self.kind()
        qemu = kind in _QEMU_PATHS
        self.form.setRowVisible(self.remote_box, qemu)
        for field in (self.user_name, self.host_name, self.port):
            self.form.setRowVisible(field, self.is_remote())
        self.form.setRowVisible(self.test_row, kind is Kind.TEST)
        self.form.setRowVisible(self.custom_uri, kind is Kind.CUSTOM)
        self._sync()
        if kind is Kind.CUSTOM:
            self.custom_uri.setFocus()
        elif kind is Kind.TEST:
            self.test_path.setFocus()
        elif self.is_remote():
            self.host_name.setFocus()

    def _sync(self) -> None:
        self.generated.setText(self._build_uri())
        self.generated.setCursorPosition(0)  # a long URI shows its start
        problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem) and not self._incomplete())
        fields = parse_uri(self._build_uri()) if self.kind() is Kind.CUSTOM else None
        if isinstance(fields, UriFields):
            self.custom_parts.setText(self._parts_text(fields))
        self.form.setRowVisible(self.custom_parts, isinstance(fields, UriFields))
        warning = self._unsafe_warning()
        if warning != self._warning_shown:
            # Consent was given to what was shown, not to whatever comes next.
            self._warning_shown = warning
            for box in (self.understand_box, self.remember_box):
                with QSignalBlocker(box):
                    box.setChecked(False)
        if warning:
            lines = "".join(f"\n• {line}" for line in warning.splitlines())
            self.unsafe_warning.setText(self.tr("This URI is unsafe:") + lines)
        self.unsafe_warning.setVisible(bool(warning))
        self.understand_box.setVisible(bool(warning))
        self.remember_box.setVisible(bool(warning))
        self.remember_box.setEnabled(self.understand_box.isChecked())
        consent = not warning or self.understand_box.isChecked()
        self.ok_button.setEnabled(not problem and consent)

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
