"""A USB or PCI device of the host passed through to the guest.

The host's devices of the same kind are listed from its node devices
(``listAllDevices``, on the connection's worker, once the form is shown),
each with the other virtual machines that pass it through too: two guests
cannot use one device at the same time. Choosing another device changes
the source ids (USB) or address (PCI) only; whether libvirt detaches the
device from its host driver (``managed``) is a checkbox. All of it takes
effect at the next boot.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import shiboken6
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from kvmdesk.core import messages
from kvmdesk.domxml import HostDev
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.hardware_words import host_device_text, used_hostdev_warning
from kvmdesk.ui.domain.hardware.typed_form import TypedDeviceForm
from kvmdesk.virt.errors import classify
from kvmdesk.virt.host_devices import HostDevice, hostdev_key, list_host_devices


@dataclass(frozen=True)
class HostDevValues:
    key: str  # HostDevice.key: usb:vendor:product or pci:(domain, bus, slot, function)
    managed: bool


class HostDevForm(TypedDeviceForm[HostDev]):
    device_class = HostDev

    def __init__(
        self, ctx: FormContext, index: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, index, title, parent)
        self.device = QComboBox()
        self.managed = QCheckBox(self.tr("Detach it from the host's driver while the guest runs"))
        self.status = dim(plain_label())
        self.users = plain_label()
        self.add_row(self.tr("Host device:"), self.device)
        self.form.addRow(self.managed)
        self.form.addRow(self.users)
        self.form.addRow(self.status)
        self.device.currentIndexChanged.connect(self._device_changed)
        self.managed.toggled.connect(self.emit_changed)
        self.kind = "usb"
        self.domain_name = ""
        self.devices: dict[str, HostDevice] = {}
        self._current = ""
        self._listed: list[HostDevice] | None = None
        self._task: asyncio.Future[None] | None = None

    def fill(self, device: HostDev) -> None:
        root = self.stored_root
        self.domain_name = (root.findtext("name") or "") if root is not None else ""
        self.kind = device.type
        self._current = hostdev_key(device.to_element())
        self.device.blockSignals(True)
        self.device.clear()
        self.device.addItem(_own_text(device), self._current)
        self.device.blockSignals(False)
        self.managed.setChecked(device.managed is not False)
        if self._listed is not None:
            self._populate(self._listed)
        elif self._task is None:
            self._task = asyncio.ensure_future(self._load_devices())

    async def _load_devices(self) -> None:
        self.status.setText(self.tr("Loading the host's devices…"))
        try:
            devices = await self.ctx.conn.call(list_host_devices)
        except Exception as exc:
            if shiboken6.isValid(self):
                self.status.setText(messages.failure_summary(classify(exc)))
            return
        if shiboken6.isValid(self):
            self._listed = devices
            self._populate(devices)

    def _populate(self, devices: list[HostDevice]) -> None:
        """The host's devices of this kind beside the one the definition names."""
        self.device.blockSignals(True)
        for device in devices:
            if device.kind != self.kind:
                continue
            self.devices[device.key] = device
            index = self.device.findData(device.key)
            if index >= 0:
                self.device.setItemText(index, host_device_text(device))
            else:
                self.device.addItem(host_device_text(device), device.key)
        self.device.setCurrentIndex(max(self.device.findData(self._current), 0))
        self.device.blockSignals(False)
        self.status.setText(
            "" if self._current in self.devices else self.tr("This device is not on the host now.")
        )
        self._device_changed()

    def _device_changed(self, *_args: object) -> None:
        device = self.devices.get(str(self.device.currentData() or ""))
        others = [n for n in device.used_by if n != self.domain_name] if device else []
        self.users.setText(used_hostdev_warning(others) if others else "")
        self.emit_changed()

    def values(self) -> HostDevValues:
        return HostDevValues(str(self.device.currentData() or ""), self.managed.isChecked())

    def write(self, device: HostDev, values: HostDevValues, loaded: HostDevValues) -> None:
        if values.managed != loaded.managed:
            device.managed = values.managed
        chosen = self.devices.get(values.key)
        if values.key == loaded.key or chosen is None:
            return
        if chosen.kind == "usb":
            device.vendor_id, device.product_id = chosen.vendor_id, chosen.product_id
        elif chosen.pci_address is not None:
            new = HostDev.pci(*chosen.pci_address)
            device.pci_domain, device.pci_bus = new.pci_domain, new.pci_bus
            device.pci_slot, device.pci_function = new.pci_slot, new.pci_function


def _own_text(device: HostDev) -> str:
    """The device as the definition names it, before the host's list is in."""
    if device.type == "usb":
        ids = f"{device.vendor_id.removeprefix('0x')}:{device.product_id.removeprefix('0x')}"
        return f"USB {ids}"
    address = device.pci_address
    if address is None:
        return device.type.upper()
    domain, bus, slot, function = address
    return f"PCI {domain:04x}:{bus:02x}:{slot:02x}.{function:x}"
