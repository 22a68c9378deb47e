"""The New VM wizard's pages, in order: source, media and OS, memory and CPUs,
storage, network, name and review (``summary.py``)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.domxml.install import NetworkKind, SourceKind, StorageKind, random_mac
from kvmdesk.ui.errors import ask
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.host import OS_ROLE, OsFilter, OsListModel
from kvmdesk.ui.new_vm.volume_picker import VolumePicker
from kvmdesk.ui.new_vm.wording import gib, input_message, used_disk_text
from kvmdesk.ui.widgets import dim, plain_label
from kvmdesk.virt import provision as pv
from kvmdesk.virt.osinfo import OsRecord

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


class PageId(enum.IntEnum):
    SOURCE = 0
    MEDIA = 1
    RESOURCES = 2
    STORAGE = 3
    NETWORK = 4
    SUMMARY = 5


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


class PathField(QWidget):
    """A path on the host: typed, or chosen with Browse… (a local file dialog on
    this machine, a storage pool's volumes on a remote host)."""

    def __init__(self, page: CheckedPage, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.page = page
        self.title = title
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.browse = QPushButton(messages.tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)

    def text(self) -> str:
        return self.edit.text()

    def _browse(self) -> None:
        self.page.vm.spawn(self._choose())

    async def _choose(self) -> None:
        vm = self.page.vm
        if vm.facts is not None and vm.facts.remote:
            picker = VolumePicker(self, vm.conn, vm.facts.pools, self.title)
            vm.picker = picker
            if await ask(picker) and picker.chosen:
                self.edit.setText(picker.chosen)
            vm.picker = None
            picker.deleteLater()
            return
        dialog = QFileDialog(self, self.title)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        vm.file_dialog = dialog
        result = await ask(dialog)
        files = dialog.selectedFiles()
        vm.file_dialog = None
        dialog.deleteLater()
        if result and files:
            self.edit.setText(files[0])


# ---------------------------------------------------------------- 1. source


class SourcePage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(messages.tr("How will the operating system be installed?"))
        self.setSubTitle(messages.tr("Choose where the new virtual machine starts from."))
        self.group = QButtonGroup(self)
        self.buttons: dict[SourceKind, QRadioButton] = {}
        layout = QVBoxLayout(self)
        choices = (
            (SourceKind.ISO, messages.tr("Local install media (ISO image or CD-ROM)")),
            (SourceKind.IMPORT, messages.tr("Import an existing disk image")),
            (SourceKind.KERNEL, messages.tr("Direct kernel boot (kernel and initrd on the host)")),
            (SourceKind.PXE, messages.tr("Network boot (PXE)")),
            (SourceKind.MANUAL, messages.tr("Manual install (an empty disk)")),
        )
        for kind, text in choices:
            button = QRadioButton(text)
            self.buttons[kind] = button
            self.group.addButton(button)
            layout.addWidget(button)
        self.buttons[SourceKind.ISO].setChecked(True)
        layout.addSpacing(12)
        self.loading = dim(plain_label(messages.tr("Loading the host's details…")))
        layout.addWidget(self.loading)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def kind(self) -> SourceKind:
        for kind, button in self.buttons.items():
            if button.isChecked():
                return kind
        return SourceKind.ISO

    def set_loaded(self, problem: str) -> None:
        self.loading.setText(problem)
        self.loading.setVisible(bool(problem))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.vm.facts is not None

    def nextId(self) -> int:
        return int(PageId.MEDIA)


# ---------------------------------------------------------------- 2. media + OS


class MediaPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(messages.tr("Install media and operating system"))
        self.setSubTitle(messages.tr("Choose what to install, and the operating system it holds."))
        self.stack = QStackedWidget()
        # ISO
        iso = QWidget()
        form = _form()
        form.setContentsMargins(0, 0, 0, 0)
        self.iso = PathField(self, messages.tr("Choose install media"), "/path/to/image.iso")
        form.addRow(messages.tr("ISO image or CD-ROM:"), self.iso)
        iso.setLayout(form)
        # import
        imp = QWidget()
        form = _form()
        form.setContentsMargins(0, 0, 0, 0)
        self.disk = PathField(self, messages.tr("Choose a disk image"), "/path/to/disk.qcow2")
        form.addRow(messages.tr("Disk image:"), self.disk)
        imp.setLayout(form)
        # kernel
        ker = QWidget()
        form = _form()
        form.setContentsMargins(0, 0, 0, 0)
        self.kernel = PathField(self, messages.tr("Choose a kernel"), "/path/to/vmlinuz")
        self.initrd = PathField(self, messages.tr("Choose an initrd"), "/path/to/initrd.img")
        self.cmdline = QLineEdit()
        self.cmdline.setPlaceholderText("console=ttyS0")
        form.addRow(messages.tr("Kernel:"), self.kernel)
        form.addRow(messages.tr("Initrd:"), self.initrd)
        form.addRow(messages.tr("Kernel arguments:"), self.cmdline)
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
                messages.tr(
                    "This host is remote: files are chosen from its storage pools, "
                    "not from this computer."
                )
            )
        )
        self.remote_note.hide()
        # OS list
        self.search = QLineEdit()
        self.search.setPlaceholderText(messages.tr("Search, e.g. debian 12"))
        self.search.setClearButtonEnabled(True)
        self.os_model = OsListModel(self)
        self.os_filter = OsFilter(self)
        self.os_filter.setSourceModel(self.os_model)
        self.os_view = QListView()
        self.os_view.setModel(self.os_filter)
        self.os_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.os_view.setUniformItemSizes(True)
        self.os_view.setMinimumHeight(140)
        self.search.textChanged.connect(self._search)
        self.os_note = dim(plain_label(messages.tr("Loading the list of operating systems…")))
        self.os_info = plain_label()
        self.os_view.selectionModel().currentChanged.connect(lambda *_: self._os_changed())

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        layout.addWidget(self.remote_note)
        os_title = plain_label(messages.tr("Operating system:"), selectable=False)
        layout.addWidget(os_title)
        layout.addWidget(self.search)
        layout.addWidget(self.os_view, 1)
        layout.addWidget(self.os_info)
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
            else messages.tr(
                "The osinfo database is not installed: generic choices only "
                "(install the osinfo-db package for the full list)."
            )
        )
        self.os_note.setVisible(not from_database)
        self.select_os("linux-generic" if not from_database else "")
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
            bus = messages.tr("virtio") if record.uses_virtio else messages.tr("SATA and e1000")
            parts = [record.name]
            if record.rec_ram_mib or record.min_ram_mib:
                parts.append(
                    messages.tr("{0} MiB memory").format(
                        max(record.rec_ram_mib, record.min_ram_mib)
                    )
                )
            if record.rec_storage_gib:
                parts.append(messages.tr("{0} GiB disk").format(record.rec_storage_gib))
            parts.append(messages.tr("devices: {0}").format(bus))
            self.os_info.setText(
                messages.tr("Recommended: {0}").format(", ".join(parts[1:]))
                if len(parts) > 1
                else ""
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
            if self.initrd.text():
                pv.check_path_text(self.initrd.text())
            if any(ord(c) < 32 for c in self.cmdline.text()):
                return messages.tr("The kernel arguments cannot contain line breaks.")
        return ""

    async def host_check(self) -> tuple[str, str]:
        kind = self.vm.source_page.kind()
        paths = {
            SourceKind.ISO: [self.iso.text()],
            SourceKind.IMPORT: [self.disk.text()],
            SourceKind.KERNEL: [self.kernel.text()]
            + ([self.initrd.text()] if self.initrd.text() else []),
        }.get(kind, [])
        warnings = []
        self.vm.checked_paths.clear()
        for path in paths:
            checked = await self.vm.conn.call(pv.check_host_path, path)
            self.vm.checked_paths[path] = checked
            if checked.used_by and kind is SourceKind.IMPORT:
                warnings.append(used_disk_text(checked))
        return "", "\n".join(warnings)

    def nextId(self) -> int:
        return int(PageId.RESOURCES)


# ---------------------------------------------------------------- 3. memory + CPUs


class ResourcesPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(messages.tr("Memory and CPUs"))
        self.setSubTitle(messages.tr("How much of the host the virtual machine may use."))
        self.memory = QLineEdit()
        self.vcpus = QLineEdit()
        for edit in (self.memory, self.vcpus):
            edit.setMaximumWidth(160)
        self.memory_note = dim(plain_label())
        self.vcpus_note = dim(plain_label())
        form = _form()
        form.addRow(messages.tr("Memory (MiB):"), self.memory)
        form.addRow("", self.memory_note)
        form.addRow(messages.tr("CPUs:"), self.vcpus)
        form.addRow("", self.vcpus_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._os_seen: OsRecord | None = None

    def memory_limit(self) -> int:
        facts = self.vm.facts
        return facts.limits.memory_mib if facts is not None else 0

    def vcpu_limit(self) -> int:
        facts = self.vm.facts
        if facts is None:
            return 0
        limit = facts.limits.cpus
        if self.vm.firmware is not None and self.vm.firmware.max_vcpus:
            limit = min(limit, self.vm.firmware.max_vcpus)
        return limit

    def initializePage(self) -> None:
        record = self.vm.media_page.os_record()
        if record is not None and record != self._os_seen:
            self._os_seen = record
            memory = max(record.rec_ram_mib, record.min_ram_mib, 512)
            if self.memory_limit():
                memory = min(memory, max(self.memory_limit() // 2, 128))
            cpus = max(record.rec_cpus, record.min_cpus, 1)
            cpus = min(cpus, 2, self.vcpu_limit() or 2)
            self.memory.setText(str(memory))
            self.vcpus.setText(str(cpus))
        self.memory_note.setText(
            messages.tr("Up to {0} MiB on this host.").format(self.memory_limit())
        )
        self.vcpus_note.setText(messages.tr("Up to {0} on this host.").format(self.vcpu_limit()))
        self.say("")

    def memory_mib(self) -> int:
        return pv.parse_count(self.memory.text(), "memory", self.memory_limit())

    def vcpu_count(self) -> int:
        return pv.parse_count(self.vcpus.text(), "vcpus", self.vcpu_limit())

    def local_problem(self) -> str:
        problems = []
        for parse in (self.memory_mib, self.vcpu_count):
            try:
                parse()
            except pv.PlanInputError as exc:
                problems.append(input_message(exc))
        return "\n".join(problems)

    def nextId(self) -> int:
        if self.vm.source_page.kind() is SourceKind.IMPORT:
            return int(PageId.NETWORK)
        return int(PageId.STORAGE)


# ---------------------------------------------------------------- 4. storage


class StoragePage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(messages.tr("Storage"))
        self.setSubTitle(messages.tr("The virtual machine's disk."))
        self.new = QRadioButton(messages.tr("Create a new disk image"))
        self.existing = QRadioButton(messages.tr("Use an existing disk image or volume"))
        self.none = QRadioButton(messages.tr("No disk"))
        self.new.setChecked(True)
        self.pool = QComboBox()
        self.size_edit = QLineEdit()
        self.size_edit.setMaximumWidth(160)
        self.format = QComboBox()
        self.format.addItem(messages.tr("qcow2 (grows as needed, snapshots)"), "qcow2")
        self.format.addItem(messages.tr("raw (all space at once)"), "raw")
        self.free = dim(plain_label())
        self.path = PathField(self, messages.tr("Choose a disk image"), "/path/to/disk.qcow2")
        new_form = _form()
        new_form.setContentsMargins(24, 0, 0, 0)
        new_form.addRow(messages.tr("Storage pool:"), self.pool)
        new_form.addRow("", self.free)
        new_form.addRow(messages.tr("Size (GiB):"), self.size_edit)
        new_form.addRow(messages.tr("Format:"), self.format)
        old_form = _form()
        old_form.setContentsMargins(24, 0, 0, 0)
        old_form.addRow(messages.tr("Path:"), self.path)
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
                    pool.name if pool.active else messages.tr("{0} (not running)").format(pool.name)
                )
                self.pool.addItem(label, pool.name)
        self.pool.blockSignals(False)
        names = [self.pool.itemData(i) for i in range(self.pool.count())]
        pick = current if current in names else None
        if pick is None and facts is not None:
            # "default" as virt-install, else the running pool with the most room.
            running = sorted((p for p in facts.pools if p.active), key=lambda p: -p.available)
            pick = "default" if "default" in names else (running[0].name if running else None)
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
            self.free.setText(messages.tr("No storage pool on this host."))
        elif not pool.active:
            self.free.setText(messages.tr("This pool is not running."))
        else:
            self.free.setText(messages.tr("{0} free").format(gib(pool.available)))

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
                return messages.tr("Choose a storage pool.")
            if not pool.active:
                raise pv.PlanInputError("pool", "inactive", pool.name)
            pv.parse_size_gib(self.size_edit.text(), pool.available)
        elif kind is StorageKind.EXISTING:
            pv.check_path_text(self.path.text())
        return ""

    async def host_check(self) -> tuple[str, str]:
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
            if checked.used_by:
                return "", used_disk_text(checked)
        return "", ""

    def nextId(self) -> int:
        return int(PageId.NETWORK)


# ---------------------------------------------------------------- 5. network


class NetworkPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(messages.tr("Network"))
        self.setSubTitle(messages.tr("How the virtual machine reaches the network."))
        self.kind = QComboBox()
        self.source = QComboBox()
        self.source.setEditable(True)
        self.mac = QLineEdit()
        self.source_label = QLabel(messages.tr("Network:"))
        form = _form()
        form.addRow(messages.tr("Connect to:"), self.kind)
        form.addRow(self.source_label, self.source)
        form.addRow(messages.tr("MAC address:"), self.mac)
        self.note = dim(plain_label())
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._filled = False

    def initializePage(self) -> None:
        if not self._filled:
            self._filled = True
            facts = self.vm.facts
            nets = list(facts.networks) if facts is not None else []
            if nets:
                self.kind.addItem(messages.tr("Virtual network"), NetworkKind.NETWORK)
            if facts is not None and facts.session:
                self.kind.addItem(messages.tr("User-mode networking"), NetworkKind.USER)
            self.kind.addItem(messages.tr("Host bridge"), NetworkKind.BRIDGE)
            self.kind.addItem(messages.tr("Host device (macvtap)"), NetworkKind.DIRECT)
            self.kind.addItem(messages.tr("No network"), NetworkKind.NONE)
            self.mac.setText(random_mac())
            self._kind_changed()
        self.say("")

    def network_kind(self) -> NetworkKind:
        data = self.kind.currentData()
        return data if isinstance(data, NetworkKind) else NetworkKind.NONE

    def _kind_changed(self, *_args: object) -> None:
        kind = self.network_kind()
        self.source.clear()
        facts = self.vm.facts
        note = ""
        if kind is NetworkKind.NETWORK and facts is not None:
            nets = sorted(facts.networks, key=lambda n: (n.name != "default", n.name))
            for net in nets:
                label = (
                    net.name if net.active else messages.tr("{0} (not running)").format(net.name)
                )
                self.source.addItem(label, net.name)
            self.source.setEditable(False)
            self.source_label.setText(messages.tr("Network:"))
            if nets and not nets[0].active:
                note = messages.tr("The network starts with the VM only if it is running.")
        elif kind is NetworkKind.BRIDGE:
            self.source.setEditable(True)
            self.source.setEditText("br0")
            self.source_label.setText(messages.tr("Bridge:"))
        elif kind is NetworkKind.DIRECT:
            self.source.setEditable(True)
            self.source.setEditText("eth0")
            self.source_label.setText(messages.tr("Host device:"))
        has_source = kind in (NetworkKind.NETWORK, NetworkKind.BRIDGE, NetworkKind.DIRECT)
        self.source.setVisible(has_source)
        self.source_label.setVisible(has_source)
        self.mac.setEnabled(kind is not NetworkKind.NONE)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def source_name(self) -> str:
        if self.network_kind() is NetworkKind.NETWORK:
            return str(self.source.currentData() or "")
        return self.source.currentText().strip()

    def local_problem(self) -> str:
        kind = self.network_kind()
        if kind in (NetworkKind.BRIDGE, NetworkKind.DIRECT, NetworkKind.NETWORK):
            name = self.source_name()
            if not name:
                return messages.tr("Choose what to connect to.")
            if any(ord(c) <= 32 for c in name) or "/" in name or name.startswith("-"):
                return messages.tr("“{0}” is not a valid interface name.").format(name)
        if kind is not NetworkKind.NONE:
            mac = self.mac.text().strip().lower()
            parts = mac.split(":")
            if len(parts) != 6 or not all(
                len(p) == 2 and all(c in "0123456789abcdef" for c in p) for p in parts
            ):
                return messages.tr("The MAC address must look like 52:54:00:12:34:56.")
            if int(parts[0], 16) & 1:
                return messages.tr("The MAC address must not be a multicast address.")
        return ""

    def nextId(self) -> int:
        return int(PageId.SUMMARY)
