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
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFormLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

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


def _label_text(label: QLabel) -> str:
    return label.text().replace("&", "").strip().rstrip(":").strip()


def _give_name(widget: QWidget, name: str) -> str:
    """Name a field (and an editable combo box's line) unless it has a name;
    in a plain container (a path and its Browse…) the first field inside.
    The name, when nothing took it."""
    if isinstance(widget, QLabel | QAbstractButton):
        return name  # a label is read as it is; a button or check box says its own text
    inner = widget.layout()
    if inner is not None and not isinstance(widget, QComboBox):
        return _name_in_row(inner, name)
    if name and not widget.accessibleName():
        widget.setAccessibleName(name)
    line = widget.lineEdit() if isinstance(widget, QComboBox) else None
    if name and line is not None and not line.accessibleName():
        line.setAccessibleName(name)
    return ""


def _name_in_row(layout: QLayout, first: str = "") -> str:
    """In a row of "Label: field  Label: field", each label names the field
    after it; ``first`` (the row's own label) names a field before any label.
    The name, when nothing took it."""
    last = first
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        inner = item.layout() if item is not None else None
        if isinstance(widget, QLabel):
            last = _label_text(widget)
        elif widget is not None:
            last = _give_name(widget, last)
        elif inner is not None:
            last = _name_in_row(inner, last)
    return last


def name_fields(form: QFormLayout) -> None:
    """Give each field of ``form`` its label's text as accessible name.

    Qt reads a buddy label to a screen reader only in some cases; a field
    inside a row of several (Sockets, Cores, Threads) has none. Fields that
    already carry a name keep it.
    """
    heading = ""  # a label on a row of its own names the field in the row below
    for row in range(form.rowCount()):
        label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole) or form.itemAt(
            row, QFormLayout.ItemRole.SpanningRole
        )
        if field_item is None:
            continue
        label = label_item.widget() if label_item is not None else None
        name = _label_text(label) if isinstance(label, QLabel) else heading
        field, inner = field_item.widget(), field_item.layout()
        heading = _label_text(field) if isinstance(field, QLabel) and label is None else ""
        if field is not None and not isinstance(field, QLabel):
            _give_name(field, name)
        elif inner is not None:
            _name_in_row(inner, name)


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
