"""A disk or CD-ROM: source, bus, cache, discard, read-only, shareable, serial.

On a running guest only the medium of a CD-ROM or floppy changes now
(``updateDeviceFlags`` with the live device, its source replaced: insert
or eject); everything else takes effect at the next boot. The path is
checked as text here and by what it points to on the host before Apply
(another VM's disk is named, as a warning).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QWidget

from kvmdesk.domxml import Disk
from kvmdesk.domxml.hardware import disk_discard, disk_serial, set_disk_extras
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.source_field import SourceField
from kvmdesk.ui.domain.hardware.typed_form import DeviceForm, combo, select
from kvmdesk.virt.hardware import LiveOp, OpKind
from kvmdesk.virt.hardware_input import check_bus, check_disk_path

CACHE_MODES = ("", "none", "writeback", "writethrough", "directsync", "unsafe")
DISCARD_MODES = ("", "unmap", "ignore")
MEDIA = ("cdrom", "floppy")


@dataclass(frozen=True)
class DiskValues:
    source: str
    bus: str
    cache: str
    discard: str
    readonly: bool
    shareable: bool
    serial: str


class DiskForm(DeviceForm):
    def __init__(
        self, ctx: FormContext, index: int, device: str, parent: QWidget | None = None
    ) -> None:
        title = self.tr("CD-ROM") if device == "cdrom" else self.tr("Disk")
        super().__init__(ctx, index, title, parent)
        self.media = device in MEDIA
        self.source = SourceField(ctx.conn)
        self.eject = QPushButton(self.tr("&Eject"))
        self.eject.clicked.connect(lambda: self.source.setText(""))
        self.eject.setVisible(self.media)
        self.bus = combo(ctx.offer.disk_buses)
        self.cache = combo(CACHE_MODES)
        self.discard = combo(DISCARD_MODES)
        self.readonly = QCheckBox(self.tr("Read-only"))
        self.shareable = QCheckBox(self.tr("Shareable between virtual machines"))
        self.serial = QLineEdit()
        self.add_row(self.tr("Source:"), self.source)
        self.form.addRow(self.eject)
        self.add_row(self.tr("Bus:"), self.bus)
        self.add_row(self.tr("Cache:"), self.cache)
        self.add_row(self.tr("Discard:"), self.discard)
        self.form.addRow(self.readonly)
        self.form.addRow(self.shareable)
        self.add_row(self.tr("Serial number:"), self.serial)
        self.source.textChanged.connect(self.emit_changed)
        self.serial.textChanged.connect(self.emit_changed)
        for box in (self.bus, self.cache, self.discard):
            box.currentIndexChanged.connect(self.emit_changed)
        self.readonly.toggled.connect(self.emit_changed)
        self.shareable.toggled.connect(self.emit_changed)
        self._disk = Disk()
        self.source_editable = True  # a path (not a pool volume or network disk)
        self._live_source: str | None = None
        self.target = ""

    def values(self) -> DiskValues:
        return DiskValues(
            source=self.source.text(),
            bus=str(self.bus.currentData() or ""),
            cache=str(self.cache.currentData() or ""),
            discard=str(self.discard.currentData() or ""),
            readonly=self.readonly.isChecked(),
            shareable=self.shareable.isChecked(),
            serial=self.serial.text(),
        )

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        element = self.element(stored)
        disk = Disk.from_element(element)
        self._disk = disk
        self.target = disk.target_dev
        editable_source = disk.type in ("file", "block", "")
        self.source_editable = editable_source
        self.source.setEnabled(editable_source)
        self.source.setText(disk.source if editable_source else _described(disk))
        select(self.bus, disk.target_bus, disk.target_bus)
        select(self.cache, disk.driver_cache, disk.driver_cache)
        select(self.discard, disk_discard(element), disk_discard(element))
        self.readonly.setChecked(disk.readonly)
        self.shareable.setChecked(disk.shareable)
        self.serial.setText(disk_serial(element))
        super().load(stored, live)
        twin = self.live_device
        self._live_source = Disk.from_element(twin).source if twin is not None else None

    def check(self) -> None:
        values = self.values()
        if self.source_editable and (values.source or not self.media):
            check_disk_path(values.source)
        if values.bus != self._disk.target_bus:
            check_bus(values.bus, self.ctx.offer)

    def edit(self, root: ET.Element) -> None:
        values = self.values()
        disk = Disk.from_element(self.element(root))
        if self.source_editable and values.source != self._loaded.source:
            disk.source = values.source
            disk.type = "block" if values.source.startswith("/dev/") else "file"
        disk.target_bus = values.bus
        disk.driver_cache = values.cache
        disk.readonly = values.readonly
        disk.shareable = values.shareable
        element = disk.to_element()
        set_disk_extras(element, discard=values.discard, serial=values.serial)
        self.replace(root, element)

    def live_ops(self, live: ET.Element) -> tuple[LiveOp, ...] | None:
        new, old = self.values(), self._loaded
        if not self.media or not isinstance(old, DiskValues):
            return None
        if new == old:
            return ()
        if {k for k in new.__dict__ if getattr(new, k) != getattr(old, k)} != {"source"}:
            return None
        twin = _find_live_disk(live, self.target)
        if twin is None:
            return None
        return (LiveOp(OpKind.UPDATE, xml=media_xml(twin, new.source)),)

    def pending(self) -> bool:
        return self._live_source is not None and self._live_source != self._disk.source


def _find_live_disk(live: ET.Element, target: str) -> ET.Element | None:
    for disk in live.findall("devices/disk"):
        node = disk.find("target")
        if node is not None and node.get("dev") == target:
            return disk
    return None


def media_xml(live_disk: ET.Element, source: str) -> str:
    """The live CD-ROM with ``source`` inserted ("" ejects)."""
    disk = Disk.from_element(copy.deepcopy(live_disk))
    if source:
        disk.type = "block" if source.startswith("/dev/") else "file"
    disk.source = source
    element = disk.to_element()
    for node in element.findall("source"):
        if not source:
            element.remove(node)
        else:
            node.attrib.pop("index", None)
    for backing in element.findall("backingStore"):
        element.remove(backing)
    return ET.tostring(element, encoding="unicode")


def _described(disk: Disk) -> str:
    if disk.type == "volume":
        return f"{disk.pool}/{disk.volume}"
    if disk.type == "network":
        return f"{disk.protocol}: {disk.source}"
    return disk.source
