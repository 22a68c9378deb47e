"""The New VM wizard's last page: the name, the platform (virtualization,
architecture, machine type, firmware) and a review of every choice; its
Create asks the wizard for a final host check, then creates the VM."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QProgressBar, QVBoxLayout

from kvmdesk.core.messages import tr
from kvmdesk.domxml.install import Firmware, NetworkKind, SourceKind, StorageKind
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.fields import form_layout
from kvmdesk.ui.new_vm.host import HostFacts
from kvmdesk.virt import provision as pv
from kvmdesk.virt.domcaps import FirmwareInfo

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


def _source_text(kind: SourceKind, media: str) -> str:
    texts = {
        SourceKind.ISO: tr("Install from {0}"),
        SourceKind.IMPORT: tr("Import the disk image {0}"),
        SourceKind.KERNEL: tr("Boot the kernel {0}"),
        SourceKind.PXE: tr("Boot from the network (PXE)"),
        SourceKind.MANUAL: tr("Manual install"),
    }
    return texts[kind].format(media)


class SummaryPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Name and review"))
        self.setSubTitle(tr("Name the virtual machine and check the choices."))
        self.name = QLineEdit()
        self.virt_type = QComboBox()
        self.arch = QComboBox()
        self.machine = QComboBox()
        self.firmware = QComboBox()
        self.firmware_note = dim(plain_label())
        self.summary = plain_label()
        self.customize = QCheckBox(tr("Customize configuration before install"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.step = plain_label()
        self.step.hide()
        form = form_layout()
        form.addRow(tr("Name:"), self.name)
        form.addRow(tr("Virtualization:"), self.virt_type)
        form.addRow(tr("Architecture:"), self.arch)
        form.addRow(tr("Machine type:"), self.machine)
        form.addRow(tr("Firmware:"), self.firmware)
        form.addRow("", self.firmware_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.customize)
        layout.addStretch(1)
        layout.addWidget(self.step)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self._filled = False
        self.virt_type.currentIndexChanged.connect(self._platform_changed)
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.machine.currentIndexChanged.connect(self._platform_changed)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        facts = self.vm.facts
        if not self._filled and facts is not None:
            self._filled = True
            record = self.vm.media_page.os_record()
            base = record.short_id if record is not None and record.osinfo_id else "vm"
            self.name.setText(self._free_name(base, facts.domain_names))
        self._update_summary()
        self.say("")

    def fill_platform(self, facts: HostFacts) -> None:
        """Architectures, virt types and machines of the host (once loaded)."""
        self.arch.blockSignals(True)
        for guest in facts.limits.arches:
            self.arch.addItem(guest.arch, guest.arch)
        index = self.arch.findData(facts.limits.preferred_arch)
        self.arch.setCurrentIndex(max(index, 0))
        self.arch.blockSignals(False)
        self._arch_changed()

    @staticmethod
    def _free_name(base: str, taken: frozenset[str]) -> str:
        name = base
        index = 1
        while name in taken:
            index += 1
            name = f"{base}-{index}"
        return name

    def _arch_changed(self, *_args: object) -> None:
        facts = self.vm.facts
        guest = facts.limits.guest(str(self.arch.currentData())) if facts is not None else None
        self.virt_type.blockSignals(True)
        self.machine.blockSignals(True)
        self.virt_type.clear()
        self.machine.clear()
        if guest is not None:
            names = {
                "kvm": tr("KVM (hardware acceleration)"),
                "qemu": tr("QEMU emulation (slow, always works)"),
            }
            for virt in guest.virt_types:
                self.virt_type.addItem(names.get(virt, virt), virt)
            if not guest.machines:
                self.machine.addItem(tr("Default"), "")
            for machine in guest.machines:
                self.machine.addItem(machine, machine)
            self.machine.setCurrentIndex(max(self.machine.findData(guest.default_machine), 0))
        self.virt_type.blockSignals(False)
        self.machine.blockSignals(False)
        self._platform_changed()

    def _platform_changed(self, *_args: object) -> None:
        self.vm.refresh_firmware()
        self._update_summary()

    def set_firmware(self, info: FirmwareInfo | None) -> None:
        current = self.firmware.currentData()
        self.firmware.clear()
        self.firmware.addItem(tr("BIOS"), Firmware.BIOS)
        if info is not None and info.uefi:
            self.firmware.addItem(tr("UEFI"), Firmware.UEFI)
        index = self.firmware.findData(current)
        self.firmware.setCurrentIndex(max(index, 0))
        if info is None:
            self.firmware_note.setText(tr("Loading…"))
        elif not info.uefi:
            self.firmware_note.setText(tr("UEFI firmware is not installed on this host."))
        else:
            self.firmware_note.setText("")
        self.firmware_note.setVisible(bool(self.firmware_note.text()))

    def _update_summary(self) -> None:
        vm = self.vm
        kind = vm.source_page.kind()
        media = {
            SourceKind.ISO: vm.media_page.iso.text(),
            SourceKind.IMPORT: vm.media_page.disk.text(),
            SourceKind.KERNEL: vm.media_page.kernel.text(),
        }.get(kind, "")
        record = vm.media_page.os_record()
        lines = [
            _source_text(kind, media),
            tr("Operating system: {0}").format(record.name if record else "?"),
            tr("Memory: {0} MiB, CPUs: {1}").format(
                vm.resources_page.memory.text(), vm.resources_page.vcpus.text()
            ),
        ]
        storage = vm.storage_page.storage_kind()
        if kind is SourceKind.IMPORT:
            pass
        elif storage is StorageKind.NEW:
            lines.append(
                tr("Storage: a new {0} GiB disk image in the pool {1}").format(
                    vm.storage_page.size_edit.text(), vm.storage_page.pool.currentData()
                )
            )
        elif storage is StorageKind.EXISTING:
            lines.append(tr("Storage: {0}").format(vm.storage_page.path.text()))
        else:
            lines.append(tr("Storage: none"))
        net = vm.network_page.network_kind()
        if net is NetworkKind.NONE:
            lines.append(tr("Network: none"))
        else:
            lines.append(
                tr("Network: {0} {1}")
                .format(vm.network_page.kind.currentText(), vm.network_page.source_name())
                .strip()
            )
        self.summary.setText("\n".join(lines))

    def local_problem(self) -> str:
        pv.check_name_text(self.name.text())
        if self.virt_type.currentData() is None:
            return tr("This host offers no virtualization for this architecture.")
        return ""

    async def host_check(self) -> tuple[str, str]:
        return await self.vm.final_check()

    def proceed(self) -> None:
        self.vm.spawn(self.vm.create_vm())
