"""The New VM wizard: collects an ``InstallPlan``, then creates the VM.

Every host query runs on the connection's worker (``conn.call``); the
osinfo database, local to this machine, is read on a thread. Finish checks
once more with the host, optionally shows the XML for editing, then runs
``provision`` on the worker (volumes, define with validation, start) with
its progress on the page. A failure leaves the wizard open with a plain
message saying what failed and what exists now. The pages themselves are
in ``pages``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import libvirt
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget, QWizard

from kvmdesk.core import messages
from kvmdesk.core.command_log import recorded
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.messages import tr
from kvmdesk.core.preferences import NewVmDefaults
from kvmdesk.core.steps import LinkLost, checking_text, run_steps
from kvmdesk.domxml.guest_defaults import PLATFORM, VIRTIO_LINUX, GuestTraits, HostTraits
from kvmdesk.domxml.install import (
    Firmware,
    InstallPlan,
    SourceKind,
    StorageKind,
    build_domain,
    plan_defaults,
)
from kvmdesk.ui.common.errors import ask, report_text
from kvmdesk.ui.new_vm.host import HostFacts, gather_facts
from kvmdesk.ui.new_vm.lost_link import report_lost_link
from kvmdesk.ui.new_vm.pages import (
    MediaPage,
    NetworkPage,
    PageId,
    ResourcesPage,
    SourcePage,
    StoragePage,
    SummaryPage,
)
from kvmdesk.ui.new_vm.volume_picker import VolumePicker
from kvmdesk.ui.new_vm.wording import gib, input_message, outcome_text, step_names
from kvmdesk.ui.new_vm.xml_dialog import XmlCustomizeDialog
from kvmdesk.virt import provision as pv
from kvmdesk.virt import virt_install_command
from kvmdesk.virt.domcaps import FirmwareInfo, firmware_info, host_traits
from kvmdesk.virt.drivers_iso import find_virtio_win
from kvmdesk.virt.errors import classify
from kvmdesk.virt.osinfo import load_catalog
from kvmdesk.virt.steps import Journal

log = logging.getLogger(__name__)


class NewVmWizard(QWizard):
    created = Signal(str)  # uuid of the new VM

    def __init__(
        self,
        conn: Connection,
        parent: QWidget | None = None,
        osinfo_dirs: Sequence[Path] | None = None,
        defaults: NewVmDefaults | None = None,
    ) -> None:
        super().__init__(parent)
        self.conn = conn
        self.defaults = defaults or NewVmDefaults()  # Preferences: pool and network first
        self.osinfo_dirs = osinfo_dirs
        self.setWindowTitle(tr("New Virtual Machine — {0}").format(conn.uri))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.facts: HostFacts | None = None
        self.firmware: FirmwareInfo | None = None
        self.virtio_win: tuple[str, ...] = ()  # virtio-win ISOs in the host's pools
        self.checked_paths: dict[str, pv.PathCheck] = {}
        self.outcome: pv.ProvisionOutcome | None = None
        self.plan_used: InstallPlan | None = None
        self.xml_dialog: XmlCustomizeDialog | None = None
        self.picker: VolumePicker | None = None
        self.leftover_box: QMessageBox | None = None  # unused disk images after a dropped link
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
        # "Step 2 of 6" above each page, so the user knows how far it is.
        for number, page_id in enumerate(PageId, 1):
            step = self.page(int(page_id))
            step.setSubTitle(
                tr("Step {0} of {1}: {2}").format(number, len(PageId), step.subTitle())
            )
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("&Create"))
        self.resize(720, 640)
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
                tr("Could not read the host's details: {0}").format(
                    messages.failure_summary(classify(exc))
                )
            )
            return
        self.source_page.set_loaded("")
        self.summary_page.fill_platform(self.facts)
        loop = asyncio.get_running_loop()
        catalog = await loop.run_in_executor(None, load_catalog, self.osinfo_dirs)
        self.media_page.set_catalog(catalog.records, catalog.from_database)
        try:
            self.virtio_win = tuple(await self.conn.call(find_virtio_win))
        except Exception as exc:  # optional: without it Windows gets SATA and e1000e
            log.info("looking for virtio-win.iso failed: %s", exc)

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

    def guest_traits(self) -> GuestTraits:
        record = self.media_page.os_record()
        return record.traits() if record is not None else VIRTIO_LINUX

    def host_traits(self) -> HostTraits:
        facts = self.facts
        guest = facts.limits.guest(str(self.summary_page.arch.currentData())) if facts else None
        info = self.firmware or FirmwareInfo(max_vcpus=0, machine="", uefi=False, loaders=())
        return host_traits(guest, info)

    def table_platform(self) -> tuple[str | None, Firmware | None]:
        """The defaults table's machine type and firmware for the choices so far."""
        try:
            plan = replace(self.plan(), machine="", firmware=None)
        except ValueError:
            return None, None
        defaults = plan_defaults(plan)
        machine, firmware = (defaults.value(t) for t in PLATFORM)
        return machine, Firmware.UEFI if firmware == "efi" else Firmware.BIOS

    def plan(self) -> InstallPlan:
        source = self.source_page.kind()
        media = self.media_page
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
            media={
                SourceKind.ISO: media.iso.text(),
                SourceKind.IMPORT: import_path,
                SourceKind.KERNEL: media.kernel_media.text(),
            }.get(source, ""),
            media_format=(checked_import.format if checked_import is not None else "")
            if source is SourceKind.IMPORT
            else "",
            kernel=media.kernel.text() if source is SourceKind.KERNEL else "",
            initrd=media.initrd.text() if source is SourceKind.KERNEL else "",
            cmdline=media.cmdline.text() if source is SourceKind.KERNEL else "",
            kernel_permanent=media.kernel_permanent.isChecked(),
            guest=self.guest_traits(),
            host=self.host_traits(),
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
            firmware=summary.firmware.currentData(),
            keep_media=summary.keep_media_choice(),
            virtio_win=self.virtio_win[0] if self.virtio_win and summary.drivers_choice() else "",
            graphics=self.defaults.graphics or "vnc",
            source_types=tuple((p, c.source_type) for p, c in self.checked_paths.items()),
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
            SourceKind.KERNEL: [
                self.media_page.kernel.text(),
                self.media_page.initrd.text(),
                self.media_page.kernel_media.text(),
            ],
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
            dialog = XmlCustomizeDialog(self, xml, self.conn)
            self.xml_dialog = dialog
            result = await ask(dialog)
            xml = dialog.text()
            self.xml_dialog = None
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted.value:
                self.summary_page.say(tr("Nothing was created."))
                return
        self.plan_used = plan
        volumes = self.volumes(plan)
        loop = asyncio.get_running_loop()
        step_text = {
            pv.Step.VOLUME: tr("Creating the disk image {0}…"),
            pv.Step.DEFINE: tr("Defining {0}…"),
            pv.Step.START: tr("Starting {0}…"),
        }

        def progress(step: pv.Step, what: str) -> None:  # on the worker
            text = step_text.get(step, "{0}").format(what)
            loop.call_soon_threadsafe(self._show_step, text)

        names = step_names([v.label for v in volumes], plan.name)

        def work(c: libvirt.virConnect, journal: Journal) -> pv.ProvisionOutcome:
            return pv.provision(c, xml, volumes, start=True, progress=progress, journal=journal)

        def again(c: libvirt.virConnect, journal: Journal) -> pv.ProvisionCheck:
            return pv.recheck(c, xml, volumes, journal)

        def checking(journal: Journal, _failure: object) -> None:
            self._show_step(checking_text(journal, names))

        self._busy(True, tr("Creating…"))
        customized = self.summary_page.customize.isChecked()
        command = virt_install_command.new_vm(self.conn.uri, plan, xml, customized)
        try:
            self.outcome = await recorded(
                self.conn.command_log,
                command,
                run_steps(self.conn, work, pv.provision_journal(volumes), again, checking),
            )
        except LinkLost as lost:
            self._busy(False)
            await self._after_lost_link(lost, names)
            return
        except pv.ProvisionError as exc:
            self._busy(False)
            self.outcome = exc.outcome
            self._report(exc.outcome)
            return
        except Exception as exc:  # the link dropped before or after the call
            self._busy(False)
            failure = classify(exc)
            text = tr("Could not create “{0}”: {1}").format(
                plan.name, messages.failure_summary(failure)
            )
            self.summary_page.say(text)
            report_text(
                self,
                tr("New Virtual Machine"),
                text,
                tr(
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

    async def _after_lost_link(
        self, lost: LinkLost[pv.ProvisionCheck], names: dict[str, str]
    ) -> None:
        self.lost = lost
        check = lost.state
        if await report_lost_link(self, self.summary_page, lost, names):
            assert check is not None  # it was created: done, with this story told
            self.conn.invalidate(check.uuid)
            self.created.emit(check.uuid)
            QDialog.done(self, QDialog.DialogCode.Accepted.value)

    def _report(self, outcome: pv.ProvisionOutcome) -> None:
        head, now = outcome_text(outcome)
        self.summary_page.say(head + "\n" + now)
        report_text(self, tr("New Virtual Machine"), head, now)

    def reject(self) -> None:
        if self.creating:
            return  # provisioning runs on: closing now would hide its outcome
        for task in list(self._tasks):
            task.cancel()
        super().reject()


__all__ = ["NewVmWizard", "SummaryPage", "gib"]
