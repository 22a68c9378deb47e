"""Consent to an unsafe URI that was refused when it was about to open.

A saved connection is checked again at every start (and whenever it
opens). One whose URI makes libvirt run a program, read a file or skip host
checks stays closed until the user reads what it does and ticks the same
"I understand" as in the Add Connection dialog: for this start only, unless
"Remember" is ticked too.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.virt.uri import check_uri


def unsafe_lines(uri: str) -> list[str]:
    """One sentence per thing the URI makes libvirt do, or [] for a safe or malformed one."""
    problem = check_uri(uri, allow_unsafe=True)
    if problem is None or not problem.allowed:
        return []
    return problem.warning.splitlines()


class ConsentDialog(QDialog):
    """Shows what ``uri`` does; Connect is enabled once "I understand" is ticked."""

    def __init__(self, uri: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unsafe Connection"))
        self.setMinimumWidth(520)
        intro = plain_label(
            self.tr("The saved connection\n{0}\nwas not opened. This URI is unsafe:").format(uri),
            selectable=True,
        )
        self.warning = plain_label(
            "".join(f"• {line}\n" for line in unsafe_lines(uri)).rstrip("\n"), selectable=True
        )
        self.understand_box = QCheckBox(self.tr("I understand, use this URI anyway"))
        self.remember_box = QCheckBox(self.tr("Remember for later starts"))
        self.remember_box.setToolTip(
            self.tr("Without this, kvmdesk asks again the next time it starts.")
        )
        self.remember_box.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.connect_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText(self.tr("Connect"))
        self.connect_button.setEnabled(False)
        self.connect_button.setAutoDefault(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.understand_box.toggled.connect(self._sync)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addWidget(self.understand_box)
        layout.addWidget(self.remember_box)
        layout.addStretch(1)
        layout.addWidget(buttons)
        cancel.setFocus()

    def _sync(self, understood: bool) -> None:
        self.connect_button.setEnabled(understood)
        self.remember_box.setEnabled(understood)
        if not understood:
            self.remember_box.setChecked(False)

    def consent(self) -> bool:
        return self.understand_box.isChecked()

    def remember(self) -> bool:
        return self.consent() and self.remember_box.isChecked()
