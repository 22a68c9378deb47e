"""Boot options: the order of disks, CD-ROMs and NICs, boot menu, direct kernel boot, autostart.

The order is written as per-device <boot order> (what libvirt needs once
more than one device of a kind is involved), replacing <os><boot dev>;
an order written the old way is shown as what it means. All of it takes
effect at the next boot; autostart is a setting of the host, applied at
once. The firmware (BIOS, or UEFI with or without Secure Boot where the
host offers them) is chosen by libvirt's firmware auto-selection; the form
warns that switching it under an installed guest leaves it unbootable.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
    firmware,
    set_boot_menu,
    set_device_boot_order,
    set_firmware,
)
from kvmdesk.domxml.model import Os
from kvmdesk.ui.common.widgets import dim, plain_label
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
    efi: bool = False
    secure_boot: bool = False


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
        self.firmware = QComboBox()
        self.firmware.addItem(self.tr("BIOS"), False)
        self.firmware.addItem(self.tr("UEFI"), True)
        self.secure_boot = QCheckBox(self.tr("Secure Boot"))
        self.firmware_note = dim(
            plain_label(
                self.tr(
                    "Changing the firmware of an installed guest usually leaves it unable to boot."
                )
            )
        )
        self.form.addRow(self.autostart)
        self.form.addRow(plain_label(self.tr("Boot device order (ticked devices, top first):")))
        self.form.addRow(order)
        self.form.addRow(self.menu)
        self.add_row(self.tr("Firmware:"), self.firmware)
        self.form.addRow(self.secure_boot)
        self.form.addRow(self.firmware_note)
        self.add_row(self.tr("Kernel path:"), self.kernel)
        self.add_row(self.tr("Initrd path:"), self.initrd)
        self.add_row(self.tr("Kernel arguments:"), self.cmdline)
        self.up.clicked.connect(lambda: self.move_device(-1))
        self.down.clicked.connect(lambda: self.move_device(1))
        self.devices.itemChanged.connect(self.emit_changed)
        self.menu.toggled.connect(self.emit_changed)
        self.firmware.currentIndexChanged.connect(self._firmware_changed)
        self.secure_boot.toggled.connect(self.emit_changed)
        self.autostart.toggled.connect(self.emit_changed)
        for edit in (self.kernel, self.initrd, self.cmdline):
            edit.textChanged.connect(self.emit_changed)

    def _firmware_changed(self, *_args: object) -> None:
        efi = bool(self.firmware.currentData())
        self.secure_boot.setEnabled(efi and self.ctx.offer.secure_boot)
        if not efi:
            self.secure_boot.setChecked(False)
        self.emit_changed()

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
            efi=bool(self.firmware.currentData()),
            secure_boot=self.secure_boot.isChecked(),
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
        efi, secure = firmware(stored)
        self.firmware.setCurrentIndex(1 if efi else 0)
        self.secure_boot.setChecked(secure)
        # UEFI is offered where the host has it (or the guest has it already).
        self.firmware.setEnabled(self.ctx.offer.uefi or efi)
        self.secure_boot.setEnabled(efi and (self.ctx.offer.secure_boot or secure))
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
        if (values.efi, values.secure_boot) != (old.efi, old.secure_boot):
            set_firmware(root, values.efi, values.secure_boot)
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
            values.efi,
            values.secure_boot,
        ) != (
            old.order,
            old.menu,
            old.kernel,
            old.initrd,
            old.cmdline,
            old.efi,
            old.secure_boot,
        )

    def autostart_change(self) -> bool | None:
        """The new autostart setting, or None when it did not change."""
        value = self.autostart.isChecked()
        return value if value != self._autostart else None
