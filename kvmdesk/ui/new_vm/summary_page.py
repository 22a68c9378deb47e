"""The New VM wizard's last page: the name, the platform (virtualization,
architecture, machine type, firmware), a review of every choice, the
defaults chosen for the OS on this host and why, and what changes after
the install (with the choice to keep the install media, and to attach the
virtio drivers for Windows); its Create asks the wizard for a final host
check, then creates the VM."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.domxml.guest_defaults import is_q35
from kvmdesk.domxml.install import (
    Firmware,
    NetworkKind,
    SourceKind,
    StorageKind,
    after_install,
    keeps_media,
    plan_defaults,
)
from kvmdesk.ui.common.command_view import CommandView
from kvmdesk.ui.common.widgets import dim, plain_label, scroll_page
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.command_line import show_virt_install
from kvmdesk.ui.new_vm.defaults_view import DefaultsView
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
        self.defaults = DefaultsView()
        self.keep_media = QCheckBox(tr("Keep the install media in its drive after the install"))
        self.drivers = QCheckBox()
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
        review = QWidget()
        inner = QVBoxLayout(review)
        inner.setContentsMargins(0, 0, 6, 0)
        inner.addWidget(self.summary)
        inner.addWidget(self.defaults)
        inner.addWidget(self.drivers)
        inner.addWidget(self.keep_media)
        inner.addWidget(self.customize)
        self.command_view = CommandView(lines=5)
        self.name.textChanged.connect(lambda _t: show_virt_install(self.command_view, self.vm))
        inner.addWidget(self.command_view)
        inner.addStretch(1)
        self.review = scroll_page(review)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.review, 1)
        layout.addWidget(self.step)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        # Tab goes through the review in the order the page shows it.
        chain = (
            self.drivers,
            self.keep_media,
            self.customize,
            self.command_view.copy,
            self.command_view.text,
        )
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._filled = False
        # What the user picked here wins over the table's choice from then on.
        self.chosen: set[str] = set()
        self.virt_type.currentIndexChanged.connect(self._platform_changed)
        self.arch.currentIndexChanged.connect(self._arch_changed)
        self.machine.currentIndexChanged.connect(self._platform_changed)
        self.machine.activated.connect(lambda _i: self.chosen.add("machine"))
        self.firmware.activated.connect(lambda _i: self._firmware_picked())
        self.keep_media.clicked.connect(lambda _on: self._picked("keep_media"))
        self.drivers.clicked.connect(lambda _on: self._picked("drivers"))
        self.drivers.hide()
        self.keep_media.hide()
        self.setFinalPage(True)

    def initializePage(self) -> None:
        facts = self.vm.facts
        if not self._filled and facts is not None:
            self._filled = True
            record = self.vm.media_page.os_record()
            base = record.short_id if record is not None and record.osinfo_id else "vm"
            self.name.setText(self._free_name(base, facts.domain_names))
        self.apply_table_platform()
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
        self.apply_table_platform()
        self._platform_changed()

    def _picked(self, what: str) -> None:
        self.chosen.add(what)
        self._update_summary()

    def _firmware_picked(self) -> None:
        self.chosen.add("firmware")
        self._update_summary()

    def apply_table_platform(self, machine_too: bool = True) -> None:
        """Select the defaults table's machine type and firmware, unless the user
        picked others on this page."""
        machine, firmware = self.vm.table_platform()
        if machine_too and "machine" not in self.chosen and machine is not None:
            self.machine.blockSignals(True)
            self.machine.setCurrentIndex(self._machine_index(machine))
            self.machine.blockSignals(False)
        if "firmware" not in self.chosen and firmware is not None:
            index = self.firmware.findData(firmware)
            if index >= 0:
                self.firmware.setCurrentIndex(index)

    def _machine_index(self, machine: str) -> int:
        """The row of ``machine``, or of a version of it (q35 -> pc-q35-7.2)."""
        exact = self.machine.findData(machine)
        if exact >= 0:
            return exact
        for row in range(self.machine.count()):
            data = str(self.machine.itemData(row) or "")
            if (is_q35(machine) and is_q35(data)) or (machine == "pc" and "i440fx" in data):
                return row
        return max(self.machine.currentIndex(), 0)

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
        self.apply_table_platform(machine_too=False)
        if info is None:
            self.firmware_note.setText(tr("Loading…"))
        elif not info.uefi:
            self.firmware_note.setText(tr("UEFI firmware is not installed on this host."))
        else:
            self.firmware_note.setText("")
        self.firmware_note.setVisible(bool(self.firmware_note.text()))
        self._update_summary()

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
        self._update_defaults()
        show_virt_install(self.command_view, self.vm)

    def _update_defaults(self) -> None:
        """The table's choices for the plan as it stands, and the checkboxes they decide."""
        vm = self.vm
        guest = vm.guest_traits()
        offered = guest.windows and not guest.virtio_disk and bool(vm.virtio_win)
        if offered:
            self.drivers.setText(
                tr("Attach the virtio drivers ({0}) and use virtio devices").format(
                    vm.virtio_win[0]
                )
            )
        self.drivers.setVisible(offered)
        try:
            plan = vm.plan()
        except ValueError:  # an entry refused earlier: the page that has it says why
            return
        media = bool(plan.install_media) and plan.has_disk and not plan.keeps_kernel
        self.keep_media.setVisible(media)
        if "keep_media" not in self.chosen:
            self.keep_media.setChecked(media and keeps_media(plan))
        self.defaults.show_defaults(
            plan_defaults(plan),
            plan.guest,
            after_install(plan),
            media and keeps_media(plan),
            offered,
        )

    def keep_media_choice(self) -> bool | None:
        """The user's choice, or None for the table's."""
        return self.keep_media.isChecked() if "keep_media" in self.chosen else None

    def drivers_choice(self) -> bool:
        return "drivers" in self.chosen and self.drivers.isChecked()

    def local_problem(self) -> str:
        pv.check_name_text(self.name.text())
        if self.virt_type.currentData() is None:
            return tr("This host offers no virtualization for this architecture.")
        return ""

    async def host_check(self) -> tuple[str, str]:
        return await self.vm.final_check()

    def proceed(self) -> None:
        self.vm.spawn(self.vm.create_vm())
