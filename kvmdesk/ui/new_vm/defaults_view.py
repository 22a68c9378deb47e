"""The summary page's account of the defaults: what the new VM gets and why,
what degrades on this host (said plainly), and what changes after the install.

One "Setting: choice — why" row per default, wrapped rather than cut off,
in the page's scroll area.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.domxml.guest_defaults import Defaults, GuestTraits, Topic
from kvmdesk.domxml.install_marker import AfterInstall
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.new_vm.defaults_text import (
    after_install_lines,
    reason_text,
    topic_label,
    value_text,
)
from kvmdesk.ui.new_vm.fields import form_layout

WARNING_SIGN = "⚠"


def _highlighted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.Highlight)
    return label


class DefaultsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.warnings = _highlighted(plain_label())
        self.warnings.hide()
        self.title = plain_label(tr("Chosen for this operating system:"), selectable=False)
        self.form: QFormLayout = form_layout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.after_title = plain_label(tr("After the install:"), selectable=False)
        self.after = dim(plain_label())
        self._rows: dict[str, tuple[str, str]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warnings)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.after_title)
        layout.addWidget(self.after)

    def rows(self) -> dict[str, tuple[str, str]]:
        """Setting -> (choice, why), as shown."""
        return dict(self._rows)

    def show_defaults(
        self,
        defaults: Defaults,
        guest: GuestTraits,
        after: AfterInstall,
        keep_media: bool,
        drivers_offered: bool = False,
    ) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._rows = {}
        for choice in defaults.choices:
            why = reason_text(choice.why)
            if not why:
                continue  # not applicable here (Secure Boot on BIOS, no Hyper-V for Linux ...)
            label, value = topic_label(choice.topic), value_text(choice, guest.osinfo_id)
            self._rows[label] = (value, why)
            text = f"{value} — {why}"
            if choice.warn:
                text = f"{WARNING_SIGN} {text}"
            field = plain_label(text)
            if choice.warn:
                _highlighted(field)
            self.form.addRow(plain_label(label + ":", selectable=False, wrap=False), field)
        notes = [reason_text(c.why) for c in defaults.warnings if reason_text(c.why)]
        no_virtio = guest.windows and not guest.virtio_disk
        if no_virtio and not drivers_offered and defaults.value(Topic.DISK_BUS) != "virtio":
            notes.append(
                tr(
                    "Windows has no virtio drivers of its own: SATA and an Intel network card "
                    "are slower. Put virtio-win.iso in a storage pool of the host to be offered "
                    "the virtio drivers."
                )
            )
        self.warnings.setText("\n".join(f"{WARNING_SIGN} {n}" for n in dict.fromkeys(notes)))
        self.warnings.setVisible(bool(notes))
        lines = after_install_lines(after, keep_media)
        self.after.setText("\n".join(f"• {line}" for line in lines))
        self.after_title.setVisible(bool(lines))
        self.after.setVisible(bool(lines))
