"""What the forms of one device share: where the device is, and its typed object.

``DeviceForm`` is a form for the child at ``index`` of <devices>: it keeps
the definition it was loaded from and the running guest's twin of the
device, and puts an edited element back in its place. ``TypedDeviceForm``
goes through the device's ``domxml`` class as well: ``fill`` fills the
fields from the parsed object, ``write`` puts the changed fields back into
a fresh parse of the definition being edited, so whatever the form does
not show stays as libvirt wrote it. Both are removable (Remove works on
any of them).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Generic, Protocol, Self, TypeVar

from PySide6.QtWidgets import QComboBox, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.domain.hardware.form_base import (
    FormContext,
    HardwareForm,
    device_at,
    live_twin,
    replace_device,
)


class TypedDevice(Protocol):
    @classmethod
    def from_element(cls, element: ET.Element) -> Self: ...

    def to_element(self) -> ET.Element: ...


D = TypeVar("D", bound=TypedDevice)


def combo(values: tuple[str, ...], default_label: str = "") -> QComboBox:
    """A choice of ``values``; "" reads as ``default_label`` (libvirt's default)."""
    box = QComboBox()
    for value in values:
        box.addItem(value or default_label or tr("Hypervisor default"), value)
    return box


def select(box: QComboBox, value: str, label: str = "") -> None:
    """Show ``value``, added to the choice when the definition says something unlisted."""
    if box.findData(value) < 0:
        box.addItem(label or value or tr("Hypervisor default"), value)
    box.setCurrentIndex(box.findData(value))


def chosen(box: QComboBox) -> str:
    return str(box.currentData() or "")


class DeviceForm(HardwareForm):
    def __init__(
        self, ctx: FormContext, index: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, title, parent)
        self.index = index
        self.stored_root: ET.Element | None = None
        self.live_device: ET.Element | None = None  # the running guest's twin

    def element(self, root: ET.Element) -> ET.Element:
        return device_at(root, self.index)

    def replace(self, root: ET.Element, element: ET.Element) -> None:
        replace_device(root, self.index, element)

    def twin(self, live: ET.Element) -> ET.Element | None:
        """The device of ``live`` that is this one."""
        if self.stored_root is None:
            return None
        return live_twin(self.stored_root, self.index, live)

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        self.stored_root = stored
        self.live_device = live_twin(stored, self.index, live)
        super().load(stored, live)


class TypedDeviceForm(DeviceForm, Generic[D]):
    device_class: Any = None  # the domxml class; a form for several kinds sets it per device

    def typed(self, root: ET.Element) -> D:
        device: D = self.device_class.from_element(self.element(root))
        return device

    def fill(self, device: D) -> None:
        """Fill the fields from the device as the definition has it."""

    def write(self, device: D, values: Any, loaded: Any) -> None:
        """Put the fields that differ between ``values`` and ``loaded`` into ``device``."""

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        self.stored_root = stored
        self.fill(self.typed(stored))
        super().load(stored, live)

    def edit(self, root: ET.Element) -> None:
        values = self.values()
        if values == self._loaded:
            return
        device = self.typed(root)
        self.write(device, values, self._loaded)
        self.replace(root, device.to_element())


__all__ = ["DeviceForm", "TypedDevice", "TypedDeviceForm", "chosen", "combo", "select"]
