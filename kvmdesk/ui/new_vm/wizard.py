"""The New VM wizard: collects an ``InstallPlan``, then creates the VM.

Every host query runs on the connection's worker (``conn.call``); the
osinfo database, local to this machine, is read on a thread. Finish checks
once more with the host, optionally shows the XML for editing, then runs
``provision`` on the worker (volumes, define with validation, start) with
its progress on the page. A failure leaves the wizard open with a plain
message saying what failed and what exists now.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.domxml.install import (
    Firmware,
    InstallPlan,
    NetworkKind,
    SourceKind,
    StorageKind,
    build_domain,
)
from kvmdesk.ui.errors import ask, report_text
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.host import HostFacts, gather_facts
from kvmdesk.ui.new_vm.pages import (
    MediaPage,
    NetworkPage,
    PageId,
    ResourcesPage,
    SourcePage,
    StoragePage,
    _form,
)
from kvmdesk.ui.new_vm.volume_picker import VolumePicker
from kvmdesk.ui.new_vm.wording import gib, input_message, outcome_text
from kvmdesk.ui.new_vm.xml_dialog import XmlCustomizeDialog
from kvmdesk.ui.widgets import dim, plain_label
from kvmdesk.virt import provision as pv
from kvmdesk.virt.domcaps import FirmwareInfo, firmware_info
from kvmdesk.virt.errors import classify
from kvmdesk.virt.osinfo import load_catalog


def _source_text(kind: SourceKind, media: str) -> str:
    tr = messages.tr
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
        self.setTitle(messages.tr("Name and review"))
        self.setSubTitle(messages.tr("Name the virtual machine and check the choices."))
        self.name = QLineEdit()
        self.virt_type = QComboBox()
        self.arch = QComboBox()
        self.machine = QComboBox()
        self.firmware = QComboBox()
        self.firmware_note = dim(plain_label())
        self.summary = plain_label()
        self.customize = QCheckBox(messages.tr("Customize configuration before install"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.step = plain_label()
        self.step.hide()
        form = _form()
        form.addRow(messages.tr("Name:"), self.name)
        form.addRow(messages.tr("Virtualization:"), self.virt_type)
        form.addRow(messages.tr("Architecture:"), self.arch)
        form.addRow(messages.tr("Machine type:"), self.machine)
        form.addRow(messages.tr("Firmware:"), self.firmware)
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
                "kvm": messages.tr("KVM (hardware acceleration)"),
                "qemu": messages.tr("QEMU emulation (slow, always works)"),
            }
            for virt in guest.virt_types:
                self.virt_type.addItem(names.get(virt, virt), virt)
            if not guest.machines:
                self.machine.addItem(messages.tr("Default"), "")
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
        self.firmware.addItem(messages.tr("BIOS"), Firmware.BIOS)
        if info is not None and info.uefi:
            self.firmware.addItem(messages.tr("UEFI"), Firmware.UEFI)
        index = self.firmware.findData(current)
        self.firmware.setCurrentIndex(max(index, 0))
        if info is None:
            self.firmware_note.setText(messages.tr("Loading…"))
        elif not info.uefi:
            self.firmware_note.setText(messages.tr("UEFI firmware is not installed on this host."))
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
            messages.tr("Operating system: {0}").format(record.name if record else "?"),
            messages.tr("Memory: {0} MiB, CPUs: {1}").format(
                vm.resources_page.memory.text(), vm.resources_page.vcpus.text()
            ),
        ]
        storage = vm.storage_page.storage_kind()
        if kind is SourceKind.IMPORT:
            pass
        elif storage is StorageKind.NEW:
            lines.append(
                messages.tr("Storage: a new {0} GiB disk image in the pool {1}").format(
                    vm.storage_page.size_edit.text(), vm.storage_page.pool.currentData()
                )
            )
        elif storage is StorageKind.EXISTING:
            lines.append(messages.tr("Storage: {0}").format(vm.storage_page.path.text()))
        else:
            lines.append(messages.tr("Storage: none"))
        net = vm.network_page.network_kind()
        if net is NetworkKind.NONE:
            lines.append(messages.tr("Network: none"))
        else:
            lines.append(
                messages.tr("Network: {0} {1}")
                .format(vm.network_page.kind.currentText(), vm.network_page.source_name())
                .strip()
            )
        self.summary.setText("\n".join(lines))

    def local_problem(self) -> str:
        pv.check_name_text(self.name.text())
        if self.virt_type.currentData() is None:
            return messages.tr("This host offers no virtualization for this architecture.")
        return ""

    async def host_check(self) -> tuple[str, str]:
        return await self.vm.final_check()

    def proceed(self) -> None:
        self.vm.spawn(self.vm.create_vm())


class NewVmWizard(QWizard):
    created = Signal(str)  # uuid of the new VM

    def __init__(
        self,
        conn: Connection,
        parent: QWidget | None = None,
        osinfo_dirs: Sequence[Path] | None = None,
    ) -> None:
        super().__init__(parent)
        self.conn = conn
        self.osinfo_dirs = osinfo_dirs
        self.setWindowTitle(messages.tr("New Virtual Machine — {0}").format(conn.uri))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.facts: HostFacts | None = None
        self.firmware: FirmwareInfo | None = None
        self.checked_paths: dict[str, pv.PathCheck] = {}
        self.outcome: pv.ProvisionOutcome | None = None
        self.plan_used: InstallPlan | None = None
        self.xml_dialog: XmlCustomizeDialog | None = None
        self.picker: VolumePicker | None = None
        self.file_dialog: QFileDialog | None = None
        self.creating = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._firmware_task: asyncio.Task[Any] | None = None
        self.source_page = SourcePage(self)
        self.media_page = MediaPage(self)
        self.resources_page = ResourcesPage(self)
        self.storage_page = StoragePage(self)
        self.network_page = NetworkPage(self)
        self.summary_page = SummaryPage(self)
        for page_id, page in (
            (PageId.SOURCE, self.source_page),
            (PageId.MEDIA, self.media_page),
            (PageId.RESOURCES, self.resources_page),
            (PageId.STORAGE, self.storage_page),
            (PageId.NETWORK, self.network_page),
            (PageId.SUMMARY, self.summary_page),
        ):
            self.setPage(int(page_id), page)
        self.setButtonText(QWizard.WizardButton.FinishButton, messages.tr("&Create"))
        self.resize(640, 540)
        self.loaded = asyncio.ensure_future(self._load())
        self._tasks.add(self.loaded)

    # -- tasks ------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _connecting_done(self) -> None:
        """Wait while the connection is still being opened (a wizard asked for
        at start-up, before the host answered)."""
        if self.conn.state is not ConnState.CONNECTING:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def changed() -> None:
            if self.conn.state is not ConnState.CONNECTING and not done.done():
                done.set_result(None)

        self.conn.stateChanged.connect(changed)
        try:
            await done
        finally:
            self.conn.stateChanged.disconnect(changed)

    async def _load(self) -> None:
        try:
            await self._connecting_done()
            self.facts = await self.conn.call(gather_facts)
        except Exception as exc:
            self.source_page.set_loaded(
                messages.tr("Could not read the host's details: {0}").format(
                    messages.failure_summary(classify(exc))
                )
            )
            return
        self.source_page.set_loaded("")
        self.summary_page.fill_platform(self.facts)
        loop = asyncio.get_running_loop()
        catalog = await loop.run_in_executor(None, load_catalog, self.osinfo_dirs)
        self.media_page.set_catalog(catalog.records, catalog.from_database)

    def refresh_firmware(self) -> None:
        page = self.summary_page
        virt = page.virt_type.currentData()
        arch = page.arch.currentData()
        machine = page.machine.currentData()
        if virt is None or arch is None:
            return
        if self._firmware_task is not None:
            self._firmware_task.cancel()
        page.set_firmware(None)
        self._firmware_task = self.spawn(
            self._fetch_firmware(str(virt), str(arch), str(machine or ""))
        )

    async def _fetch_firmware(self, virt: str, arch: str, machine: str) -> None:
        try:
            info = await self.conn.call(firmware_info, virt, arch, machine)
        except Exception:
            info = FirmwareInfo(max_vcpus=0, machine="", uefi=False, loaders=())
        self.firmware = info
        self.summary_page.set_firmware(info)

    # -- the plan -------------------------------------------------------------

    def plan(self) -> InstallPlan:
        source = self.source_page.kind()
        media = self.media_page
        record = media.os_record()
        storage = (
            StorageKind.NONE if source is SourceKind.IMPORT else self.storage_page.storage_kind()
        )
        disk_path = self.storage_page.path.text()
        checked_disk = self.checked_paths.get(disk_path)
        import_path = media.disk.text()
        checked_import = self.checked_paths.get(import_path)
        net = self.network_page.network_kind()
        summary = self.summary_page
        page = self.storage_page
        fmt = str(page.format.currentData())
        if storage is StorageKind.EXISTING:
            fmt = checked_disk.format if checked_disk is not None and checked_disk.format else "raw"
        return InstallPlan(
            name=summary.name.text(),
            source=source,
            session=self.facts.session if self.facts is not None else False,
            media={SourceKind.ISO: media.iso.text(), SourceKind.IMPORT: import_path}.get(
                source, ""
            ),
            media_format=(checked_import.format if checked_import is not None else "")
            if source is SourceKind.IMPORT
            else "",
            kernel=media.kernel.text() if source is SourceKind.KERNEL else "",
            initrd=media.initrd.text() if source is SourceKind.KERNEL else "",
            cmdline=media.cmdline.text() if source is SourceKind.KERNEL else "",
            os_id=record.short_id if record is not None else "generic",
            os_name=record.name if record is not None else "",
            virtio_disk=record.virtio_disk if record is not None else True,
            virtio_net=record.virtio_net if record is not None else True,
            memory_mib=self.resources_page.memory_mib(),
            vcpus=self.resources_page.vcpu_count(),
            storage=storage,
            pool=str(page.pool.currentData() or ""),
            volume=page.volume_name,
            disk_bytes=page.disk_bytes,
            disk_format=fmt,
            disk_path=disk_path,
            network=net,
            network_source=self.network_page.source_name(),
            mac=self.network_page.mac.text().strip().lower(),
            virt_type=str(summary.virt_type.currentData() or "qemu"),
            arch=str(summary.arch.currentData() or "x86_64"),
            machine=str(summary.machine.currentData() or ""),
            firmware=summary.firmware.currentData() or Firmware.BIOS,
        )

    def plan_xml(self) -> str:
        """The definition the current choices make (what "Customize" shows)."""
        return build_domain(self.plan()).to_xml()

    def volumes(self, plan: InstallPlan) -> list[pv.NewVolume]:
        if plan.storage is not StorageKind.NEW or plan.source is SourceKind.IMPORT:
            return []
        return [pv.NewVolume(plan.pool, plan.volume, plan.disk_bytes, plan.disk_format)]

    async def final_check(self) -> tuple[str, str]:
        """Everything once more with the host, right before creating."""
        conn = self.conn
        name = self.summary_page.name.text()
        await conn.call(pv.check_name, name)
        source = self.source_page.kind()
        paths = {
            SourceKind.ISO: [self.media_page.iso.text()],
            SourceKind.IMPORT: [self.media_page.disk.text()],
            SourceKind.KERNEL: [self.media_page.kernel.text(), self.media_page.initrd.text()],
        }.get(source, [])
        storage = self.storage_page.storage_kind() if source is not SourceKind.IMPORT else None
        if storage is StorageKind.EXISTING:
            paths.append(self.storage_page.path.text())
        for path in paths:
            if path:
                self.checked_paths[path] = await conn.call(pv.check_host_path, path)
        if storage is StorageKind.NEW:
            page = self.storage_page
            pool = str(page.pool.currentData())
            available = await conn.call(pv.pool_space, pool)
            page.disk_bytes = pv.parse_size_gib(page.size_edit.text(), available)
            fmt = str(page.format.currentData())
            page.volume_name = await conn.call(pv.free_volume_name, pool, name, fmt)
        return "", ""

    # -- creating -------------------------------------------------------------

    def _busy(self, on: bool, text: str = "") -> None:
        self.creating = on
        page = self.summary_page
        page.progress.setVisible(on)
        page.step.setText(text)
        page.step.setVisible(bool(text))
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            button = self.button(which)
            if button is not None:
                button.setEnabled(not on)

    def _show_step(self, text: str) -> None:
        if self.creating:  # a step reported after the end changes nothing
            self._busy(True, text)

    async def create_vm(self) -> None:
        try:
            plan = self.plan()
            xml = build_domain(plan).to_xml()
        except pv.PlanInputError as exc:
            self.summary_page.say(input_message(exc))
            return
        except ValueError as exc:  # a character XML cannot hold
            self.summary_page.say(str(exc))
            return
        if self.summary_page.customize.isChecked():
            dialog = XmlCustomizeDialog(self, xml)
            self.xml_dialog = dialog
            result = await ask(dialog)
            xml = dialog.text()
            self.xml_dialog = None
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted.value:
                self.summary_page.say(messages.tr("Nothing was created."))
                return
        self.plan_used = plan
        volumes = self.volumes(plan)
        loop = asyncio.get_running_loop()
        step_text = {
            pv.Step.VOLUME: messages.tr("Creating the disk image {0}…"),
            pv.Step.DEFINE: messages.tr("Defining {0}…"),
            pv.Step.START: messages.tr("Starting {0}…"),
        }

        def progress(step: pv.Step, what: str) -> None:  # on the worker
            text = step_text.get(step, "{0}").format(what)
            loop.call_soon_threadsafe(self._show_step, text)

        self._busy(True, messages.tr("Creating…"))
        try:
            self.outcome = await self.conn.call(
                lambda c: pv.provision(c, xml, volumes, start=True, progress=progress)
            )
        except pv.ProvisionError as exc:
            self._busy(False)
            self.outcome = exc.outcome
            self._report(exc.outcome)
            return
        except Exception as exc:  # the link dropped before or after the call
            self._busy(False)
            failure = classify(exc)
            text = messages.tr("Could not create “{0}”: {1}").format(
                plan.name, messages.failure_summary(failure)
            )
            self.summary_page.say(text)
            report_text(
                self,
                messages.tr("New Virtual Machine"),
                text,
                messages.tr(
                    "The connection to the host may have dropped: check the host's "
                    "storage pools for a new disk image once it is back."
                ),
            )
            return
        self._busy(False)
        self.conn.invalidate(self.outcome.uuid)
        self.created.emit(self.outcome.uuid)
        # QWizard.done would validate the page once more (another host check):
        # everything is checked and created, so close as a plain dialog.
        QDialog.done(self, QDialog.DialogCode.Accepted.value)

    def _report(self, outcome: pv.ProvisionOutcome) -> None:
        head, now = outcome_text(outcome)
        self.summary_page.say(head + "\n" + now)
        report_text(self, messages.tr("New Virtual Machine"), head, now)

    def reject(self) -> None:
        if self.creating:
            return  # provisioning runs on: closing now would hide its outcome
        for task in list(self._tasks):
            task.cancel()
        super().reject()


__all__ = ["NewVmWizard", "gib"]
