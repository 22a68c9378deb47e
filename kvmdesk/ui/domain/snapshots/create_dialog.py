"""Take Snapshot: name, description and kind, with what libvirt would refuse said first."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QPlainTextEdit, QRadioButton, QWidget

from kvmdesk.ui.common.widgets import CheckedDialog, dim, plain_label
from kvmdesk.ui.domain.snapshots.snapshot_words import limit_text, mode_title, name_problem_text
from kvmdesk.virt.snapshots import Mode, SnapshotListing, check_name


def default_name() -> str:
    return time.strftime("snapshot-%Y%m%d-%H%M%S")


class CreateSnapshotDialog(CheckedDialog):
    """Asks for a new snapshot; a kind libvirt would refuse cannot be chosen, and says why."""

    def __init__(
        self, listing: SnapshotListing, parent: QWidget | None = None, name: str = ""
    ) -> None:
        super().__init__(self.tr("Take Snapshot"), parent, width=520)
        self._existing = {s.name for s in listing.snapshots}
        self.name = QLineEdit(name or default_name())
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        self.form.addRow(self.tr("&Name:"), self.name)
        self.form.addRow(self.tr("&Description:"), self.description)
        self.modes = QButtonGroup(self)
        self.buttons_by_mode: dict[Mode, QRadioButton] = {}
        self.why_not: dict[Mode, str] = {}
        first = True
        for mode in (Mode.INTERNAL, Mode.DISK_ONLY):
            button = QRadioButton(mode_title(mode, listing.running))
            limits = listing.refusals.get(mode, ())
            self.buttons_by_mode[mode] = button
            self.modes.addButton(button)
            self.form.addRow(self.tr("Kind:") if first else "", button)
            first = False
            if limits:
                button.setEnabled(False)
                why = "\n".join(limit_text(limit) for limit in limits)
                self.why_not[mode] = why
                self.form.addRow("", dim(plain_label(why)))
        usable = [m for m, b in self.buttons_by_mode.items() if b.isEnabled()]
        if usable:
            self.buttons_by_mode[usable[0]].setChecked(True)
        self.name.selectAll()

    @property
    def mode(self) -> Mode | None:
        for mode, button in self.buttons_by_mode.items():
            if button.isChecked():
                return mode
        return None

    def problem(self) -> str:
        name = self.name.text()
        found = check_name(name, self._existing)
        if found is not None:
            return name_problem_text(found, name)
        if self.mode is None:
            return self.tr("libvirt cannot take any kind of snapshot of this virtual machine.")
        return ""
