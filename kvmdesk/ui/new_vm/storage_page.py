"""The New VM wizard's storage page: a new disk image in a storage pool
(its room checked on the host), an existing image or volume, or no disk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLineEdit, QRadioButton, QVBoxLayout

from kvmdesk.core.messages import tr
from kvmdesk.domxml.install import SourceKind, StorageKind
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.fields import PageId, PathField, form_layout
from kvmdesk.ui.new_vm.wording import endangers_host, gib, path_warnings
from kvmdesk.virt import provision as pv
from kvmdesk.virt.osinfo import OsRecord
from kvmdesk.virt.shown import shown

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


class StoragePage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Storage"))
        self.setSubTitle(tr("The virtual machine's disk."))
        self.new = QRadioButton(tr("Create a new disk image"))
        self.existing = QRadioButton(tr("Use an existing disk image or volume"))
        self.none = QRadioButton(tr("No disk"))
        self.new.setChecked(True)
        self.pool = QComboBox()
        self.size_edit = QLineEdit()
        self.size_edit.setMaximumWidth(160)
        self.format = QComboBox()
        self.format.addItem(tr("qcow2 (grows as needed, snapshots)"), "qcow2")
        self.format.addItem(tr("raw (all space at once)"), "raw")
        self.free = dim(plain_label())
        self.path = PathField(self, tr("Choose a disk image"), "/path/to/disk.qcow2")
        new_form = form_layout()
        new_form.setContentsMargins(24, 0, 0, 0)
        new_form.addRow(tr("Storage pool:"), self.pool)
        new_form.addRow("", self.free)
        new_form.addRow(tr("Size (GiB):"), self.size_edit)
        new_form.addRow(tr("Format:"), self.format)
        old_form = form_layout()
        old_form.setContentsMargins(24, 0, 0, 0)
        old_form.addRow(tr("Path:"), self.path)
        layout = QVBoxLayout(self)
        layout.addWidget(self.new)
        layout.addLayout(new_form)
        layout.addWidget(self.existing)
        layout.addLayout(old_form)
        layout.addWidget(self.none)
        layout.addWidget(self.message)
        layout.addStretch(1)
        for button in (self.new, self.existing, self.none):
            button.toggled.connect(self._toggled)
        self.pool.currentIndexChanged.connect(self._pool_changed)
        self._os_seen: OsRecord | None = None
        self.disk_bytes = 0  # set by the host check
        self.volume_name = ""  # the new volume's free name, found at Finish

    def initializePage(self) -> None:
        facts = self.vm.facts
        current = self.pool.currentData()
        self.pool.blockSignals(True)
        self.pool.clear()
        if facts is not None:
            for pool in facts.pools:
                label = (
                    shown(pool.name)
                    if pool.active
                    else tr("{0} (not running)").format(shown(pool.name))
                )
                self.pool.addItem(label, pool.name)
        self.pool.blockSignals(False)
        names = [self.pool.itemData(i) for i in range(self.pool.count())]
        pick = current if current in names else None
        if pick is None and facts is not None:
            # "default" as virt-install, else the running pool with the most room.
            running = sorted((p for p in facts.pools if p.active), key=lambda p: -p.available)
            pick = "default" if "default" in names else (running[0].name if running else None)
            if self.vm.defaults.pool in names:  # the one chosen in Preferences
                pick = self.vm.defaults.pool
        if pick is not None:
            self.pool.setCurrentIndex(names.index(pick))
        if not names:
            self.new.setEnabled(False)
            if self.new.isChecked():
                self.none.setChecked(True)
        record = self.vm.media_page.os_record()
        if record is not None and record != self._os_seen:
            self._os_seen = record
            self.size_edit.setText(
                str(
                    max(record.rec_storage_gib, record.min_storage_gib, 1)
                    if record.rec_storage_gib or record.min_storage_gib
                    else 20
                )
            )
        kind = self.vm.source_page.kind()
        if kind is SourceKind.MANUAL and self.none.isChecked() and names:
            self.new.setChecked(True)
        self._pool_changed()
        self._toggled()
        self.say("")

    def _pool_changed(self, *_args: object) -> None:
        facts = self.vm.facts
        name = self.pool.currentData()
        pool = next((p for p in facts.pools if p.name == name), None) if facts else None
        if pool is None:
            self.free.setText(tr("No storage pool on this host."))
        elif not pool.active:
            self.free.setText(tr("This pool is not running."))
        else:
            self.free.setText(tr("{0} free").format(gib(pool.available)))

    def _toggled(self, *_args: object) -> None:
        for widget in (self.pool, self.size_edit, self.format):
            widget.setEnabled(self.new.isChecked())
        self.path.setEnabled(self.existing.isChecked())

    def storage_kind(self) -> StorageKind:
        if self.new.isChecked():
            return StorageKind.NEW
        if self.existing.isChecked():
            return StorageKind.EXISTING
        return StorageKind.NONE

    def local_problem(self) -> str:
        kind = self.storage_kind()
        if kind is StorageKind.NEW:
            facts = self.vm.facts
            name = self.pool.currentData()
            pool = next((p for p in facts.pools if p.name == name), None) if facts else None
            if pool is None:
                return tr("Choose a storage pool.")
            if not pool.active:
                raise pv.PlanInputError("pool", "inactive", pool.name)
            pv.parse_size_gib(self.size_edit.text(), pool.available)
        elif kind is StorageKind.EXISTING:
            pv.check_path_text(self.path.text())
        return ""

    async def host_check(self) -> tuple[str, str]:
        self.message.setFont(self.font())
        kind = self.storage_kind()
        conn = self.vm.conn
        if kind is StorageKind.NEW:
            name = str(self.pool.currentData())
            available = await conn.call(pv.pool_space, name)  # still there, still running
            self.disk_bytes = pv.parse_size_gib(self.size_edit.text(), available)
            return "", ""
        if kind is StorageKind.EXISTING:
            checked = await conn.call(pv.check_host_path, self.path.text())
            self.vm.checked_paths[self.path.text()] = checked
            # A disk the host itself uses: the warning in bold.
            self.message.setFont(scaled_font(self.font(), 1.0, bold=endangers_host(checked)))
            return "", "\n".join(path_warnings(checked))
        return "", ""

    def nextId(self) -> int:
        return int(PageId.NETWORK)
