"""Boot options: the order of disks, CD-ROMs and NICs, boot menu, direct kernel boot, autostart.

The order is written as per-device <boot order> (what libvirt needs once
more than one device of a kind is involved), replacing <os><boot dev>;
an order written the old way is shown as what it means. All of it takes
effect at the next boot; autostart is a setting of the host, applied at
once. The firmware is shown, not changed: switching BIOS and UEFI under
an installed guest leaves it unbootable.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.domxml.hardware import (
    boot_menu,
    bootable_devices,
    device_boot_order,
    set_boot_menu,
    set_device_boot_order,
)
from kvmdesk.domxml.model import Os
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm, children
from kvmdesk.ui.domain.hardware.labels import device_label
from kvmdesk.virt.hardware_input import check_disk_path

_INDEX = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class BootValues:
    order: tuple[tuple[int, bool], ...]  # (device index, boots from it)
    menu: bool
    kernel: str
    initrd: str
    cmdline: str
    autostart: bool


def _legacy_order(root: ET.Element) -> list[ET.Element]:
    """<os><boot dev=...> as devices: hd the disks, cdrom the CD-ROMs, network the NICs."""
    devices = bootable_devices(root)
    order: list[ET.Element] = []
    for node in root.findall("os/boot"):
        dev = node.get("dev", "")
        for device in devices:
            kind = device.get("device", "disk") if device.tag == "disk" else device.tag
            wanted = {"hd": "disk", "cdrom": "cdrom", "network": "interface", "fd": "floppy"}
            if wanted.get(dev) == kind and device not in order:
                order.append(device)
    return order


class BootForm(HardwareForm):
    def __init__(self, ctx: FormContext, autostart: bool, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Boot Options"), parent)
        self._autostart = autostart
        self.autostart = QCheckBox(self.tr("Start the virtual machine when the host starts"))
        self.autostart.setEnabled(ctx.persistent)
        self.devices = QListWidget()
        self.up = QPushButton(self.tr("&Up"))
        self.down = QPushButton(self.tr("&Down"))
        moves = QVBoxLayout()
        moves.addWidget(self.up)
        moves.addWidget(self.down)
        moves.addStretch(1)
        order = QWidget()
        row = QHBoxLayout(order)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.devices, 1)
        row.addLayout(moves)
        self.menu = QCheckBox(self.tr("Show the boot menu"))
        self.kernel, self.initrd, self.cmdline = QLineEdit(), QLineEdit(), QLineEdit()
        self.firmware = plain_label()
        self.form.addRow(self.autostart)
        self.form.addRow(plain_label(self.tr("Boot device order (ticked devices, top first):")))
        self.form.addRow(order)
        self.form.addRow(self.menu)
        self.add_row(self.tr("Firmware:"), self.firmware)
        self.add_row(self.tr("Kernel path:"), self.kernel)
        self.add_row(self.tr("Initrd path:"), self.initrd)
        self.add_row(self.tr("Kernel arguments:"), self.cmdline)
        self.up.clicked.connect(lambda: self.move_device(-1))
        self.down.clicked.connect(lambda: self.move_device(1))
        self.devices.itemChanged.connect(self.emit_changed)
        self.menu.toggled.connect(self.emit_changed)
        self.autostart.toggled.connect(self.emit_changed)
        for edit in (self.kernel, self.initrd, self.cmdline):
            edit.textChanged.connect(self.emit_changed)

    def move_device(self, step: int) -> None:
        row = self.devices.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.devices.count():
            return
        item = self.devices.takeItem(row)
        self.devices.insertItem(target, item)
        self.devices.setCurrentRow(target)
        self.emit_changed()

    def values(self) -> BootValues:
        order = tuple(
            (int(item.data(_INDEX)), item.checkState() == Qt.CheckState.Checked)
            for item in (self.devices.item(i) for i in range(self.devices.count()))
        )
        return BootValues(
            order=order,
            menu=self.menu.isChecked(),
            kernel=self.kernel.text(),
            initrd=self.initrd.text(),
            cmdline=self.cmdline.text(),
            autostart=self.autostart.isChecked(),
        )

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        all_devices = children(stored)
        bootable = bootable_devices(stored)
        numbered = sorted(
            (d for d in bootable if device_boot_order(d) is not None),
            key=lambda d: device_boot_order(d) or 0,
        )
        first = numbered or _legacy_order(stored)
        self.devices.blockSignals(True)
        self.devices.clear()
        for device in first + [d for d in bootable if d not in first]:
            item = QListWidgetItem(device_label(device))
            item.setData(_INDEX, all_devices.index(device))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if device in first else Qt.CheckState.Unchecked
            )
            self.devices.addItem(item)
        self.devices.blockSignals(False)
        self.menu.setChecked(boot_menu(stored))
        os_node = stored.find("os")
        os = Os.from_element(os_node) if os_node is not None else Os()
        self.kernel.setText(os.kernel)
        self.initrd.setText(os.initrd)
        self.cmdline.setText(os.cmdline)
        uefi = os.firmware == "efi" or os.loader_type == "pflash"
        secure = (
            os.loader_secure
            or stored.find("os/firmware/feature[@name='secure-boot'][@enabled='yes']") is not None
        )
        self.firmware.setText(
            (self.tr("UEFI with Secure Boot") if secure else self.tr("UEFI"))
            if uefi
            else self.tr("BIOS")
        )
        self.autostart.setChecked(self._autostart)
        super().load(stored, live)

    def check(self) -> None:
        values = self.values()
        for path in (values.kernel, values.initrd):
            if path:
                check_disk_path(path)

    def edit(self, root: ET.Element) -> None:
        values, old = self.values(), self._loaded
        if values.order != old.order:
            devices = children(root)
            set_device_boot_order(root, [devices[i] for i, on in values.order if on])
        set_boot_menu(root, values.menu)
        os_node = root.find("os")
        if os_node is not None and (values.kernel, values.initrd, values.cmdline) != (
            old.kernel,
            old.initrd,
            old.cmdline,
        ):
            os = Os.from_element(os_node)
            os.kernel, os.initrd, os.cmdline = values.kernel, values.initrd, values.cmdline
            root[list(root).index(os_node)] = os.to_element()

    def definition_dirty(self) -> bool:
        """Something other than autostart changed."""
        values, old = self.values(), self._loaded
        return isinstance(old, BootValues) and (
            values.order,
            values.menu,
            values.kernel,
            values.initrd,
            values.cmdline,
        ) != (old.order, old.menu, old.kernel, old.initrd, old.cmdline)

    def autostart_change(self) -> bool | None:
        """The new autostart setting, or None when it did not change."""
        value = self.autostart.isChecked()
        return value if value != self._autostart else None
