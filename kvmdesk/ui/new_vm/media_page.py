"""The New VM wizard's media page: the ISO, disk image or kernel to start
from (checked on the host), and the operating system, picked from osinfo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLineEdit,
    QListView,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.domxml.install import SourceKind
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.fields import PageId, PathField, form_layout
from kvmdesk.ui.new_vm.host import OS_ROLE, OsFilter, OsListModel
from kvmdesk.ui.new_vm.wording import endangers_host, path_warnings
from kvmdesk.virt import provision as pv
from kvmdesk.virt.media_detect import detect, read_iso_ids
from kvmdesk.virt.osinfo import OsRecord

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


class MediaPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Install media and operating system"))
        self.setSubTitle(tr("Choose what to install, and the operating system it holds."))
        self.stack = QStackedWidget()
        # ISO
        iso = QWidget()
        form = form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        self.iso = PathField(self, tr("Choose install media"), "/path/to/image.iso")
        self.iso.edit.textChanged.connect(self._detect_os)
        form.addRow(tr("ISO image or CD-ROM:"), self.iso)
        iso.setLayout(form)
        # import
        imp = QWidget()
        form = form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        self.disk = PathField(self, tr("Choose a disk image"), "/path/to/disk.qcow2")
        form.addRow(tr("Disk image:"), self.disk)
        imp.setLayout(form)
        # kernel
        ker = QWidget()
        form = form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        self.kernel = PathField(self, tr("Choose a kernel"), "/path/to/vmlinuz")
        self.initrd = PathField(self, tr("Choose an initrd"), "/path/to/initrd.img")
        self.cmdline = QLineEdit()
        self.cmdline.setPlaceholderText("console=ttyS0")
        self.kernel_media = PathField(
            self, tr("Choose install media"), tr("optional: /path/to/image.iso")
        )
        self.kernel_permanent = QCheckBox(tr("Keep booting this kernel after the install"))
        self.kernel_permanent.setToolTip(
            tr(
                "Unticked, the kernel only starts the installer: once the guest first shuts "
                "down or reboots, the machine boots from its disk. Without a disk it always "
                "boots this kernel."
            )
        )
        form.addRow(tr("Kernel:"), self.kernel)
        form.addRow(tr("Initrd:"), self.initrd)
        form.addRow(tr("Kernel arguments:"), self.cmdline)
        form.addRow(tr("Install media (CD-ROM):"), self.kernel_media)
        form.addRow("", self.kernel_permanent)
        ker.setLayout(form)
        # PXE / manual: nothing to choose
        none = QWidget()
        self.stack.addWidget(iso)
        self.stack.addWidget(imp)
        self.stack.addWidget(ker)
        self.stack.addWidget(none)
        self._index = {
            SourceKind.ISO: 0,
            SourceKind.IMPORT: 1,
            SourceKind.KERNEL: 2,
            SourceKind.PXE: 3,
            SourceKind.MANUAL: 3,
        }
        self.remote_note = dim(
            plain_label(
                tr(
                    "This host is remote: files are chosen from its storage pools, "
                    "not from this computer."
                )
            )
        )
        self.remote_note.hide()
        # OS list
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search, e.g. debian 12"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search operating systems"))
        self.os_model = OsListModel(self)
        self.os_filter = OsFilter(self)
        self.os_filter.setSourceModel(self.os_model)
        self.os_view = QListView()
        self.os_view.setModel(self.os_filter)
        self.os_view.setAccessibleName(tr("Operating system"))
        self.os_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.os_view.setUniformItemSizes(True)
        self.os_view.setMinimumHeight(140)
        self.search.textChanged.connect(self._search)
        self.os_note = dim(plain_label(tr("Loading the list of operating systems…")))
        self.os_info = plain_label()
        self.detected = dim(plain_label())
        self.detected.hide()
        self.os_view.selectionModel().currentChanged.connect(lambda *_: self._os_changed())

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        layout.addWidget(self.remote_note)
        os_title = plain_label(tr("Operating system:"), selectable=False)
        layout.addWidget(os_title)
        layout.addWidget(self.search)
        layout.addWidget(self.os_view, 1)
        layout.addWidget(self.os_info)
        layout.addWidget(self.detected)
        layout.addWidget(self.os_note)
        layout.addWidget(self.message)

    def initializePage(self) -> None:
        kind = self.vm.source_page.kind()
        self.stack.setCurrentIndex(self._index[kind])
        # A stack is as tall as its tallest page; only the shown one counts here.
        for index in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred
            if index != self.stack.currentIndex():
                policy = QSizePolicy.Policy.Ignored
            widget = self.stack.widget(index)
            if widget is not None:
                widget.setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.stack.setVisible(kind not in (SourceKind.PXE, SourceKind.MANUAL))
        remote = self.vm.facts is not None and self.vm.facts.remote
        self.remote_note.setVisible(
            remote and kind in (SourceKind.ISO, SourceKind.IMPORT, SourceKind.KERNEL)
        )
        self.say("")

    def set_catalog(self, records: tuple[OsRecord, ...], from_database: bool) -> None:
        self.os_model.set_records(records)
        self.os_note.setText(
            ""
            if from_database
            else tr(
                "The osinfo database is not installed: generic choices only "
                "(install the osinfo-db package for the full list)."
            )
        )
        self.os_note.setVisible(not from_database)
        # From the database nothing is chosen for the user: they search, or
        # pick from the list; without it the generic Linux choice is the guess.
        if not from_database:
            self.select_os("linux-generic")
        self.completeChanged.emit()

    def select_os(self, short_id: str) -> bool:
        for row in range(self.os_filter.rowCount()):
            index = self.os_filter.index(row, 0)
            record = index.data(OS_ROLE)
            if record is not None and (record.short_id == short_id or not short_id):
                self.os_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.os_view.scrollTo(index)
                return True
        return False

    def _detect_os(self, path: str) -> None:
        """Choose the OS the install ISO says it holds (a local file only)."""
        remote = self.vm.facts is None or self.vm.facts.remote
        ids = None if remote or not path.strip() else read_iso_ids(path.strip())
        record = detect(self.os_model.records, ids) if ids is not None else None
        if record is None:
            self.detected.setVisible(False)
            return
        self.search.clear()
        self.select_os(record.short_id)
        self.detected.setText(tr("Detected from the install media: {0}").format(record.name))
        self.detected.setVisible(True)

    def _search(self, text: str) -> None:
        self.os_filter.set_search(text)
        if self.os_record() is None and self.os_filter.rowCount():
            self.select_os("")

    def os_record(self) -> OsRecord | None:
        index = self.os_view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        record = index.data(OS_ROLE)
        return record if isinstance(record, OsRecord) else None

    def _os_changed(self) -> None:
        record = self.os_record()
        if record is None:
            self.os_info.setText("")
        else:
            bus = tr("virtio") if record.uses_virtio else tr("SATA and e1000")
            parts = [record.name]
            if record.rec_ram_mib or record.min_ram_mib:
                parts.append(
                    tr("{0} MiB memory").format(max(record.rec_ram_mib, record.min_ram_mib))
                )
            if record.rec_storage_gib:
                parts.append(tr("{0} GiB disk").format(record.rec_storage_gib))
            parts.append(tr("devices: {0}").format(bus))
            self.os_info.setText(
                tr("Recommended: {0}").format(", ".join(parts[1:])) if len(parts) > 1 else ""
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.os_record() is not None

    def local_problem(self) -> str:
        kind = self.vm.source_page.kind()
        if kind is SourceKind.ISO:
            pv.check_path_text(self.iso.text())
        elif kind is SourceKind.IMPORT:
            pv.check_path_text(self.disk.text())
        elif kind is SourceKind.KERNEL:
            pv.check_path_text(self.kernel.text())
            for optional in (self.initrd.text(), self.kernel_media.text()):
                if optional:
                    pv.check_path_text(optional)
            if any(ord(c) < 32 for c in self.cmdline.text()):
                return tr("The kernel arguments cannot contain line breaks.")
        return ""

    async def host_check(self) -> tuple[str, str]:
        kind = self.vm.source_page.kind()
        paths = {
            SourceKind.ISO: [self.iso.text()],
            SourceKind.IMPORT: [self.disk.text()],
            SourceKind.KERNEL: [self.kernel.text()]
            + [p for p in (self.initrd.text(), self.kernel_media.text()) if p],
        }.get(kind, [])
        warnings = []
        loud = False
        self.vm.checked_paths.clear()
        for path in paths:
            checked = await self.vm.conn.call(pv.check_host_path, path)
            self.vm.checked_paths[path] = checked
            if kind is not SourceKind.KERNEL:
                warnings += path_warnings(checked, media=kind is SourceKind.ISO)
                loud = loud or endangers_host(checked)
        # A disk the host itself uses: the warning in bold.
        self.message.setFont(scaled_font(self.font(), 1.0, bold=loud))
        return "", "\n".join(warnings)

    def nextId(self) -> int:
        return int(PageId.RESOURCES)
