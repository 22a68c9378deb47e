"""What every hardware form does, and how a device is found in a definition.

A form is loaded from the next-boot definition (and the live one of a
running guest), shows a few typed fields, and on Apply writes only those
fields into a copy of the definition (``edit``); everything it does not
show stays as it was. ``live_ops`` says whether and how the change can be
made on the running guest (None: only at the next boot); ``pending`` says
whether the running guest differs from the next boot in what the form
shows.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from kvmdesk.core.connection import Connection
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font
from kvmdesk.virt.hardware import LiveOp
from kvmdesk.virt.hardware_offer import HostOffer


@dataclass(frozen=True)
class FormContext:
    conn: Connection
    uuid: str
    offer: HostOffer
    running: bool
    persistent: bool


def children(root: ET.Element) -> list[ET.Element]:
    devices = root.find("devices")
    return list(devices) if devices is not None else []


def device_at(root: ET.Element, index: int) -> ET.Element:
    devices = root.find("devices")
    assert devices is not None
    return devices[index]


def replace_device(root: ET.Element, index: int, new: ET.Element) -> None:
    devices = root.find("devices")
    assert devices is not None
    old = devices[index]
    new.tail = old.tail
    devices[index] = new


def identity(device: ET.Element, devices: list[ET.Element]) -> tuple[str, ...]:
    """What names a device across the next-boot and live definitions."""
    if device.tag == "disk":
        target = device.find("target")
        return ("disk", target.get("dev", "") if target is not None else "")
    if device.tag == "interface":
        mac = device.find("mac")
        if mac is not None and mac.get("address"):
            return ("interface", mac.get("address", "").lower())
    same = [d for d in devices if d.tag == device.tag]
    return (str(device.tag), str(same.index(device)))


def live_twin(
    stored_root: ET.Element, index: int, live_root: ET.Element | None
) -> ET.Element | None:
    """The live definition's device that is the stored device at ``index``."""
    if live_root is None:
        return None
    stored_devices = children(stored_root)
    live_devices = children(live_root)
    wanted = identity(stored_devices[index], stored_devices)
    for device in live_devices:
        if identity(device, live_devices) == wanted:
            return device
    return None


class HardwareForm(QWidget):
    """Base of the forms; subclasses fill ``self.form`` and implement the hooks."""

    changed = Signal()
    editable = True

    def __init__(self, ctx: FormContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded: Any = None
        self.heading = plain_label(title, selectable=False)
        self.heading.setFont(scaled_font(self.font(), 1.15))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow window a long value goes below its label, whole.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.when = dim(plain_label())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.when)
        layout.addStretch(1)
        self.body = layout

    def add_row(self, label: str, widget: QWidget) -> None:
        self.form.addRow(QLabel(label), widget)

    # -- hooks ---------------------------------------------------------------

    def values(self) -> Any:
        """The form's fields as one comparable value."""
        return None

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        self._loaded = self.values()

    def check(self) -> None:
        """Raise ``PlanInputError`` for a value that must not be sent."""

    def edit(self, root: ET.Element) -> None:
        """Write the form's fields into ``root`` (a copy of the next-boot definition)."""

    def live_ops(self, live: ET.Element) -> tuple[LiveOp, ...] | None:
        """The changes to make on the running guest; None: only at the next boot."""
        return None

    def pending(self) -> bool:
        """The running guest differs from its next boot in what this form shows."""
        return False

    # -- shared ---------------------------------------------------------------

    def mark_loaded(self) -> None:
        self._loaded = self.values()

    def is_dirty(self) -> bool:
        return self.editable and self.values() != self._loaded

    def emit_changed(self, *_args: object) -> None:
        self.changed.emit()
