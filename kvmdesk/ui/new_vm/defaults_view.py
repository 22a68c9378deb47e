"""The summary page's account of the defaults: what the new VM gets and why,
what degrades on this host (said plainly), and what changes after the install."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QStyle, QTreeWidget, QVBoxLayout, QWidget

from kvmdesk.core import messages
from kvmdesk.domxml.guest_defaults import Defaults, GuestTraits, Topic
from kvmdesk.domxml.install_marker import AfterInstall
from kvmdesk.ui.common.widgets import dim, fill_table, make_table, plain_label
from kvmdesk.ui.new_vm.defaults_text import (
    after_install_lines,
    reason_text,
    topic_label,
    value_text,
)


def _warning_label() -> QLabel:
    label = plain_label()
    label.setForegroundRole(QPalette.ColorRole.Highlight)
    label.hide()
    return label


class DefaultsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.warnings = _warning_label()
        self.table: QTreeWidget = make_table(
            [messages.tr("Setting"), messages.tr("Choice"), messages.tr("Why")]
        )
        self.table.setAccessibleName(messages.tr("Settings chosen for this operating system"))
        self.table.setMinimumHeight(150)
        self.after_title = plain_label(messages.tr("After the install:"), selectable=False)
        self.after = dim(plain_label())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.after_title)
        layout.addWidget(self.after)

    def show_defaults(
        self,
        defaults: Defaults,
        guest: GuestTraits,
        after: AfterInstall,
        keep_media: bool,
        drivers_offered: bool = False,
    ) -> None:
        rows: list[tuple[str, list[str]]] = []
        for choice in defaults.choices:
            why = reason_text(choice.why)
            if not why:
                continue  # not applicable here (Secure Boot on BIOS, no Hyper-V for Linux ...)
            value = value_text(choice, guest.osinfo_id)
            rows.append((choice.topic.value, [topic_label(choice.topic), value, why]))
        fill_table(self.table, rows)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        warned = {c.topic.value for c in defaults.warnings}
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) in warned:
                item.setIcon(0, icon)
        notes = [reason_text(c.why) for c in defaults.warnings if reason_text(c.why)]
        no_virtio = guest.windows and not guest.virtio_disk
        if no_virtio and not drivers_offered and defaults.value(Topic.DISK_BUS) != "virtio":
            notes.append(
                messages.tr(
                    "Windows has no virtio drivers of its own: SATA and an Intel network card "
                    "are slower. Put virtio-win.iso in a storage pool of the host to be offered "
                    "the virtio drivers."
                )
            )
        self.warnings.setText("\n".join(dict.fromkeys(notes)))
        self.warnings.setVisible(bool(notes))
        lines = after_install_lines(after, keep_media)
        self.after.setText("\n".join(f"• {line}" for line in lines))
        self.after_title.setVisible(bool(lines))
        self.after.setVisible(bool(lines))
