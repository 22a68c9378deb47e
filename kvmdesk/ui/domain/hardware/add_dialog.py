"""Add Hardware…: a disk (an existing image or a new one in a storage pool), a CD-ROM, a NIC,
a host device, a serial port, a channel, a shared folder, USB redirection, a controller ….

The dialog builds the device with the typed ``domxml`` objects and checks
it as the forms do; ``device`` is the new element, ``new_volume`` (pool,
name, GiB) the image to create first, if any. For a running guest it says,
as the settings change, whether the device is added now or only for the
next boot, and why (``virt.hotplug``).
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.domxml import Disk, Interface, Rng, Tpm
from kvmdesk.domxml.hardware import pci_hostdev, shared_memory, usb_hostdev
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.hardware.add_pages import (
    AddPage,
    ChannelPage,
    ControllerPage,
    RedirPage,
    SerialPage,
    SharePage,
)
from kvmdesk.ui.domain.hardware.hardware_words import (
    host_device_text,
    input_text,
    not_live_text,
    scope_sentence,
)
from kvmdesk.ui.domain.hardware.nic_form import MODELS
from kvmdesk.ui.domain.hardware.source_field import SourceField
from kvmdesk.virt import storage
from kvmdesk.virt.errors import classify
from kvmdesk.virt.hardware import Scope
from kvmdesk.virt.hardware_input import PlanInputError, check_bus, check_disk_path, check_mac
from kvmdesk.virt.hardware_offer import HostOffer
from kvmdesk.virt.host_devices import HostDevice, list_host_devices
from kvmdesk.virt.hotplug import NotLive, live_refusal

_PREFIX = {"virtio": "vd", "ide": "hd"}


def free_target(bus: str, roots: list[ET.Element]) -> str:
    """The first unused target name for ``bus``: vdb, sdc, hdd …"""
    prefix = _PREFIX.get(bus, "sd")
    taken = {node.get("dev", "") for root in roots for node in root.findall("devices/disk/target")}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if prefix + letter not in taken:
            return prefix + letter
    return prefix + "aa"


class AddHardwareDialog(QDialog):
    def __init__(
        self,
        parent: QWidget,
        conn: Connection,
        offer: HostOffer,
        stored: ET.Element,
        live: ET.Element | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add Hardware"))
        self.conn = conn
        self.offer = offer
        self.roots = [stored] + ([live] if live is not None else [])
        self.device: ET.Element | None = None
        self.new_volume: tuple[str, str, float] | None = None
        self.refused_live: NotLive | None = None  # why it waits for the next boot
        self.turn_on_shared = False  # a virtiofs share: shared memory comes with it
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Disk: an existing image"), "disk")
        self.kind.addItem(self.tr("Disk: a new image in a storage pool"), "new-disk")
        self.kind.addItem(self.tr("CD-ROM"), "cdrom")
        self.kind.addItem(self.tr("Network interface"), "nic")
        self.kind.addItem(self.tr("USB or PCI host device"), "host")
        self.kind.addItem(self.tr("Serial port"), "serial")
        self.kind.addItem(self.tr("Channel (the guest agent's, SPICE …)"), "agent")
        self.kind.addItem(self.tr("Filesystem share (virtiofs or 9p)"), "share")
        self.kind.addItem(self.tr("USB redirection"), "redir")
        self.kind.addItem(self.tr("Controller"), "controller")
        self.kind.addItem(self.tr("Random number generator"), "rng")
        if offer.tpm_emulator:
            self.kind.addItem(self.tr("TPM 2.0 (emulated)"), "tpm")
        self.pages = QStackedWidget()
        # existing image / CD-ROM
        self.path = SourceField(conn)
        self.bus = QComboBox()
        for bus in offer.disk_buses:
            self.bus.addItem(bus, bus)
        # new image
        self.pool = QComboBox()
        self.volume_name = QLineEdit()
        self.size_gib = QDoubleSpinBox()
        self.size_gib.setRange(0, 1 << 20)
        self.size_gib.setValue(10)
        self.size_gib.setSuffix(" GiB")
        # NIC
        self.network = QComboBox()
        self.network.setEditable(True)
        self.network.addItems(list(offer.networks))
        self.model = QComboBox()
        self.model.addItems(list(MODELS))
        self.mac = QLineEdit()
        self.mac.setPlaceholderText(self.tr("chosen by libvirt"))

        disk_page = QWidget()
        disk_form = QFormLayout(disk_page)
        disk_form.addRow(self.tr("Source:"), self.path)
        disk_form.addRow(self.tr("Bus:"), self.bus)
        new_page = QWidget()
        new_form = QFormLayout(new_page)
        new_form.addRow(self.tr("Storage pool:"), self.pool)
        new_form.addRow(self.tr("Name:"), self.volume_name)
        new_form.addRow(self.tr("Size:"), self.size_gib)
        self.new_bus = QComboBox()
        for bus in offer.disk_buses:
            self.new_bus.addItem(bus, bus)
        new_form.addRow(self.tr("Bus:"), self.new_bus)
        nic_page = QWidget()
        nic_form = QFormLayout(nic_page)
        nic_form.addRow(self.tr("Virtual network:"), self.network)
        nic_form.addRow(self.tr("Model:"), self.model)
        nic_form.addRow(self.tr("MAC address:"), self.mac)
        self.host_devices = QListWidget()
        self.host_status = dim(plain_label())
        host_page = QWidget()
        host_layout = QVBoxLayout(host_page)
        host_layout.setContentsMargins(0, 0, 0, 0)
        host_layout.addWidget(self.host_devices, 1)
        host_layout.addWidget(self.host_status)
        self.nothing_page = QWidget()  # the kinds that need no settings
        for page in (disk_page, new_page, nic_page, host_page, self.nothing_page):
            self.pages.addWidget(page)
        self.scope = Scope.CONFIG if live is None else Scope.BOTH
        self.live_root = live
        self.share_page = SharePage(shared_memory(stored))
        self.kind_pages: dict[str, AddPage] = {
            "serial": SerialPage(),
            "agent": ChannelPage(),
            "share": self.share_page,
            "redir": RedirPage(),
            "controller": ControllerPage(),
        }
        for page in self.kind_pages.values():
            self.pages.addWidget(page)
            page.changed.connect(self.update_note)
        self._host_loaded = False
        self.problem = plain_label()
        self.scope_note = dim(plain_label())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("Add:"), self.kind)
        layout.addLayout(form)
        layout.addWidget(self.pages)
        layout.addWidget(self.scope_note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._pools_task = asyncio.ensure_future(self._load_pools())

    async def _load_pools(self) -> None:
        try:
            pools = await self.conn.call(storage.list_pools)
        except Exception:
            pools = []
        if not shiboken6.isValid(self):
            return
        for pool in pools:
            if pool.active:
                self.pool.addItem(pool.name, pool.name)

    async def _load_host_devices(self) -> None:
        self.host_status.setText(self.tr("Loading…"))
        try:
            devices = await self.conn.call(list_host_devices)
        except Exception as exc:
            if shiboken6.isValid(self):
                self.host_status.setText(messages.failure_summary(classify(exc)))
            return
        if not shiboken6.isValid(self):
            return
        for device in devices:
            item = QListWidgetItem(host_device_text(device))
            item.setData(Qt.ItemDataRole.UserRole, device)
            self.host_devices.addItem(item)
        self.host_status.setText(
            "" if devices else self.tr("This host has no USB or PCI device to pass through.")
        )

    def _kind_changed(self, *_args: object) -> None:
        kind = self.kind.currentData()
        pages = {"disk": 0, "cdrom": 0, "new-disk": 1, "nic": 2, "host": 3}
        if kind in self.kind_pages:
            self.pages.setCurrentWidget(self.kind_pages[kind])
        else:
            self.pages.setCurrentIndex(pages.get(kind, 4))
        self.update_note()
        if kind == "host" and not self._host_loaded:
            self._host_loaded = True
            self._host_task = asyncio.ensure_future(self._load_host_devices())
        if kind == "cdrom":
            self.bus.setCurrentIndex(max(self.bus.findData("sata"), self.bus.findData("ide"), 0))

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.update_note()

    def not_live(self) -> NotLive | None:
        """Why the device as set now cannot be added to the running guest."""
        if self.live_root is None or Scope.LIVE not in self.scope:
            return None
        try:
            device = self.build()
        except (PlanInputError, ValueError):
            return None  # said when OK is pressed
        return live_refusal(device, self.live_root)

    def update_note(self, *_args: object) -> None:
        reason = self.not_live()
        if reason is None:
            self.scope_note.setText(scope_sentence(self.scope))
        else:
            self.scope_note.setText(not_live_text(reason, Scope.CONFIG in self.scope))

    def _ok(self) -> None:
        try:
            self.device = self.build()
        except PlanInputError as error:
            self.problem.setText(input_text(error))
            return
        # Read now: the widgets are gone by the time the caller adds the device.
        self.refused_live = self.not_live()
        self.turn_on_shared = self.kind.currentData() == "share" and (
            self.share_page.turn_on_shared
        )
        self.accept()

    def build(self) -> ET.Element:
        kind = self.kind.currentData()
        self.new_volume = None
        if kind == "host":
            item = self.host_devices.currentItem()
            if item is None:
                raise PlanInputError("hostdev", "empty", "")
            device: HostDevice = item.data(Qt.ItemDataRole.UserRole)
            if device.kind == "usb":
                return usb_hostdev(device.vendor_id, device.product_id)
            assert device.pci_address is not None
            return pci_hostdev(*device.pci_address)
        if kind in self.kind_pages:
            return self.kind_pages[kind].build()
        if kind == "rng":
            return Rng().to_element()
        if kind == "tpm":
            return Tpm(model="", backend_type="emulator", backend_version="2.0").to_element()
        if kind == "nic":
            nic = Interface(type="network", source=self.network.currentText().strip())
            nic.model = self.model.currentText()
            nic.mac = check_mac(self.mac.text())
            if not nic.source:
                raise PlanInputError("network", "empty", "")
            return nic.to_element()
        if kind == "new-disk":
            name = self.volume_name.text().strip()
            pool = str(self.pool.currentData() or "")
            if not pool:
                raise PlanInputError("pool", "missing", "")
            if not name:
                raise PlanInputError("name", "empty")
            if self.size_gib.value() <= 0:
                raise PlanInputError("size", "zero")
            bus = str(self.new_bus.currentData() or "virtio")
            check_bus(bus, self.offer)
            self.new_volume = (pool, name, self.size_gib.value())
            return Disk(
                source="/placeholder",
                driver_type="qcow2",
                target_dev=free_target(bus, self.roots),
                target_bus=bus,
            ).to_element()
        bus = str(self.bus.currentData() or "")
        check_bus(bus, self.offer)
        path = self.path.text()
        if kind == "cdrom":
            disk = Disk(device="cdrom", readonly=True, target_bus=bus, driver_type="raw")
            if path:
                disk.source = check_disk_path(path)
        else:  # the format is read from the host before the device is added
            disk = Disk(source=check_disk_path(path), target_bus=bus, driver_type="raw")
        disk.target_dev = free_target(bus, self.roots)
        return disk.to_element()
