"""The overview of one domain: what ``DomainDetails`` says, in words.

Also the words for libvirt's state reasons ("Shutoff (shut down)"), which
only this page spells out.
"""

from __future__ import annotations

import libvirt
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.models.icons import state_icon
from kvmdesk.models.tree import format_memory
from kvmdesk.ui.common.widgets import (
    Section,
    TableSection,
    fill_page,
    let_shrink,
    plain_label,
    scaled_font,
)
from kvmdesk.virt.records import DomainDetails, DomainRecord, DomainState, InterfaceAddresses
from kvmdesk.virt.shown import shown

# -- words ----------------------------------------------------------------------


def _running_reasons() -> dict[int, str]:
    return {
        libvirt.VIR_DOMAIN_RUNNING_BOOTED: tr("booted"),
        libvirt.VIR_DOMAIN_RUNNING_MIGRATED: tr("migrated"),
        libvirt.VIR_DOMAIN_RUNNING_RESTORED: tr("restored"),
        libvirt.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT: tr("from snapshot"),
        libvirt.VIR_DOMAIN_RUNNING_UNPAUSED: tr("unpaused"),
        libvirt.VIR_DOMAIN_RUNNING_MIGRATION_CANCELED: tr("migration cancelled"),
        libvirt.VIR_DOMAIN_RUNNING_SAVE_CANCELED: tr("save cancelled"),
        libvirt.VIR_DOMAIN_RUNNING_WAKEUP: tr("woken up"),
        libvirt.VIR_DOMAIN_RUNNING_CRASHED: tr("crashed"),
        libvirt.VIR_DOMAIN_RUNNING_POSTCOPY: tr("post-copy migration"),
        libvirt.VIR_DOMAIN_RUNNING_POSTCOPY_FAILED: tr("post-copy migration failed"),
    }


def _paused_reasons() -> dict[int, str]:
    return {
        libvirt.VIR_DOMAIN_PAUSED_USER: tr("by the user"),
        libvirt.VIR_DOMAIN_PAUSED_MIGRATION: tr("migrating"),
        libvirt.VIR_DOMAIN_PAUSED_SAVE: tr("saving"),
        libvirt.VIR_DOMAIN_PAUSED_DUMP: tr("dumping core"),
        libvirt.VIR_DOMAIN_PAUSED_IOERROR: tr("I/O error"),
        libvirt.VIR_DOMAIN_PAUSED_WATCHDOG: tr("watchdog"),
        libvirt.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT: tr("from snapshot"),
        libvirt.VIR_DOMAIN_PAUSED_SHUTTING_DOWN: tr("shutting down"),
        libvirt.VIR_DOMAIN_PAUSED_SNAPSHOT: tr("taking a snapshot"),
        libvirt.VIR_DOMAIN_PAUSED_CRASHED: tr("guest crashed"),
        libvirt.VIR_DOMAIN_PAUSED_STARTING_UP: tr("starting up"),
        libvirt.VIR_DOMAIN_PAUSED_POSTCOPY: tr("post-copy migration"),
        libvirt.VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: tr("post-copy migration failed"),
        getattr(libvirt, "VIR_DOMAIN_PAUSED_API_ERROR", 14): tr("management error"),
    }


def _shutoff_reasons() -> dict[int, str]:
    return {
        libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN: tr("shut down"),
        libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED: tr("forced off"),
        libvirt.VIR_DOMAIN_SHUTOFF_CRASHED: tr("crashed"),
        libvirt.VIR_DOMAIN_SHUTOFF_MIGRATED: tr("migrated"),
        libvirt.VIR_DOMAIN_SHUTOFF_SAVED: tr("saved"),
        libvirt.VIR_DOMAIN_SHUTOFF_FAILED: tr("failed to start"),
        libvirt.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT: tr("from snapshot"),
        libvirt.VIR_DOMAIN_SHUTOFF_DAEMON: tr("stopped by libvirt"),
    }


def state_reason_text(state: DomainState, reason: int) -> str:
    """libvirt's state reason in words, or "" when unknown or not worth saying."""
    if state in (DomainState.RUNNING, DomainState.BLOCKED):
        table = _running_reasons() if state is DomainState.RUNNING else {}
    elif state is DomainState.PAUSED:
        table = _paused_reasons()
    elif state is DomainState.SHUTDOWN:
        table = {libvirt.VIR_DOMAIN_SHUTDOWN_USER: tr("requested by the user")}
    elif state in (DomainState.SHUTOFF, DomainState.SAVED, DomainState.SAVED_TO_FILE):
        table = _shutoff_reasons()
    elif state is DomainState.CRASHED:
        table = {libvirt.VIR_DOMAIN_CRASHED_PANICKED: tr("guest panicked")}
    else:
        table = {}
    return table.get(reason, "")


def state_text(record: DomainRecord) -> str:
    """ "Shutoff (shut down)", or the bare state when the reason says nothing."""
    label = messages.state_label(record.state)
    reason = state_reason_text(record.state, record.reason)
    saved = (DomainState.SAVED, DomainState.SAVED_TO_FILE)
    if not reason or (record.state in saved and reason == tr("saved")):
        return label
    return tr("{0} ({1})").format(label, reason)


def _yes_no(value: bool) -> str:
    return tr("Yes") if value else tr("No")


def _hypervisor_type(domain_type: str) -> str:
    return {"kvm": "KVM", "qemu": "QEMU", "test": tr("Test")}.get(domain_type, domain_type)


def _device_text(device: str) -> str:
    return {
        "disk": tr("Disk"),
        "cdrom": tr("CD-ROM"),
        "floppy": tr("Floppy"),
        "lun": tr("LUN"),
    }.get(device, device)


def _interface_type(kind: str) -> str:
    return {
        "network": tr("Virtual network"),
        "bridge": tr("Bridge"),
        "direct": tr("Macvtap"),
        "user": tr("Usermode networking"),
        "vhostuser": tr("vhost-user"),
        "hostdev": tr("PCI passthrough"),
    }.get(kind, kind)


def _source_text(source: str) -> str:
    return {
        "lease": tr("DHCP lease"),
        "agent": tr("guest agent"),
        "arp": tr("ARP table"),
    }.get(source, source)


def addresses_of(addresses: tuple[InterfaceAddresses, ...], mac: str) -> str:
    """The addresses of the interface with ``mac``, and who reported them."""
    found = [a for a in addresses if a.mac and a.mac.lower() == mac.lower()]
    parts = [
        f"{ip.address}/{ip.prefix}" if ip.prefix is not None else ip.address
        for iface in found
        for ip in iface.addresses
    ]
    if not parts:
        return ""
    return tr("{0} ({1})").format(", ".join(parts), _source_text(found[0].source))


# -- the page -----------------------------------------------------------------


class DomainOverview(QWidget):
    """Everything ``DomainDetails`` says about one domain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel()
        self.name = plain_label()
        self.name.setFont(scaled_font(self.font(), 1.45))
        let_shrink(self.name)
        self.title = plain_label()
        let_shrink(self.title)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.name)
        titles.addWidget(self.title)
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(titles, 1)

        self.general = Section(tr("General"))
        self.description = self.general.add_row(tr("Description:"))
        self.uuid = self.general.add_row(tr("UUID:"))
        self.state = self.general.add_row(tr("State:"))
        self.autostart = self.general.add_row(tr("Autostart:"))
        self.persistence = self.general.add_row(tr("Definition:"))

        self.system = Section(tr("Hypervisor"))
        self.hypervisor = self.system.add_row(tr("Hypervisor:"))
        self.os_type = self.system.add_row(tr("OS type:"))
        self.arch = self.system.add_row(tr("Architecture:"))
        self.machine = self.system.add_row(tr("Machine:"))

        self.resources = Section(tr("Resources"))
        self.vcpus = self.resources.add_row(tr("vCPUs:"))
        self.memory = self.resources.add_row(tr("Memory:"))

        self.disk_section = TableSection(
            tr("Disks"),
            [tr("Target"), tr("Device"), tr("Source"), tr("Format"), tr("Notes")],
            tr("No disks"),
        )
        self.disks = self.disk_section.table

        self.nic_section = TableSection(
            tr("Network interfaces"),
            [tr("MAC address"), tr("Type"), tr("Source"), tr("Model"), tr("IP addresses")],
            tr("No network interfaces"),
        )
        self.nics = self.nic_section.table

        sections = [self.general, self.system, self.resources, self.disk_section, self.nic_section]
        fill_page(self, head, sections)

    def set_details(self, details: DomainDetails) -> None:
        rec = details.record
        pixmap = state_icon(rec.state).pixmap(32, 32)
        self.icon.setPixmap(pixmap)
        self.icon.setVisible(not pixmap.isNull())
        self.name.setText(shown(rec.name))
        self.name.setToolTip(messages.plain_tooltip(shown(rec.name)))
        self.title.setText(shown(details.title))
        self.title.setVisible(bool(details.title))
        self.general.set_row(
            self.description, shown(details.description, keep_lines=True), hide_empty=True
        )
        self.general.set_row(self.uuid, rec.uuid)
        self.general.set_row(self.state, state_text(rec))
        self.general.set_row(self.autostart, _yes_no(rec.autostart))
        self.general.set_row(
            self.persistence,
            tr("Persistent") if rec.persistent else tr("Transient (gone once it stops)"),
        )
        self.system.set_row(self.hypervisor, _hypervisor_type(details.domain_type))
        self.system.set_row(self.os_type, details.os_type, hide_empty=True)
        self.system.set_row(self.arch, details.arch, hide_empty=True)
        self.system.set_row(self.machine, details.machine, hide_empty=True)
        self.resources.set_row(self.vcpus, str(rec.vcpus))
        self.resources.set_row(self.memory, format_memory(rec.memory_kib))

        disk_rows = []
        for disk in details.disks:
            notes = []
            if disk.readonly:
                notes.append(tr("read-only"))
            if disk.shareable:
                notes.append(tr("shareable"))
            disk_rows.append(
                [
                    disk.target,
                    _device_text(disk.device),
                    disk.source or tr("(empty)"),
                    disk.driver_format,
                    ", ".join(notes),
                ]
            )
        self.disk_section.set_rows(disk_rows, stretch=2)

        nic_rows = [
            [
                nic.mac,
                _interface_type(nic.kind),
                nic.source,
                nic.model,
                addresses_of(details.addresses, nic.mac),
            ]
            for nic in details.interfaces
        ]
        self.nic_section.set_rows(nic_rows, stretch=2)
