"""A network interface: source (virtual network, bridge, macvtap, user), model, MAC, link.

On a running guest the link state changes now (``updateDeviceFlags`` with
the live interface, its <link> changed); the rest takes effect at the next
boot. A MAC another VM uses is named before Apply, as a warning.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from kvmdesk.domxml import Interface
from kvmdesk.domxml.hardware import link_up, set_link_up
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import DeviceForm, select
from kvmdesk.virt.hardware import LiveOp, OpKind
from kvmdesk.virt.hardware_input import check_mac

MODELS = ("virtio", "e1000e", "e1000", "rtl8139")


@dataclass(frozen=True)
class NicValues:
    type: str
    source: str
    model: str
    mac: str
    link_up: bool


class NicForm(DeviceForm):
    def __init__(self, ctx: FormContext, index: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, index, self.tr("Network Interface"), parent)
        self.kind = QComboBox()
        for label, kind in (
            (self.tr("Virtual network"), "network"),
            (self.tr("Bridge device"), "bridge"),
            (self.tr("Macvtap (host device)"), "direct"),
            (self.tr("Usermode networking"), "user"),
        ):
            self.kind.addItem(label, kind)
        self.source = QComboBox()
        self.source.setEditable(True)
        self.model = QComboBox()
        for model in MODELS:
            self.model.addItem(model, model)
        self.mac = QLineEdit()
        self.mac.setPlaceholderText(self.tr("chosen by libvirt"))
        self.link = QCheckBox(self.tr("Link up (cable plugged in)"))
        self.add_row(self.tr("Connected to:"), self.kind)
        self.add_row(self.tr("Source:"), self.source)
        self.add_row(self.tr("Model:"), self.model)
        self.add_row(self.tr("MAC address:"), self.mac)
        self.form.addRow(self.link)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.source.currentTextChanged.connect(self.emit_changed)
        self.model.currentIndexChanged.connect(self.emit_changed)
        self.mac.textChanged.connect(self.emit_changed)
        self.link.toggled.connect(self.emit_changed)
        self._live_link: bool | None = None
        self._stored_link = True

    def _kind_changed(self, *_args: object) -> None:
        kind = self.kind.currentData()
        text = self.source.currentText()
        self.source.blockSignals(True)
        self.source.clear()
        if kind == "network":
            self.source.addItems(list(self.ctx.offer.networks))
        self.source.setEditText(text)
        self.source.blockSignals(False)
        self.source.setEnabled(kind != "user")
        self.emit_changed()

    def values(self) -> NicValues:
        kind = str(self.kind.currentData() or "")
        return NicValues(
            type=kind,
            source=self.source.currentText().strip() if kind != "user" else "",
            model=str(self.model.currentData() or ""),
            mac=self.mac.text().strip().lower(),
            link_up=self.link.isChecked(),
        )

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        element = self.element(stored)
        nic = Interface.from_element(element)
        if self.kind.findData(nic.type) < 0:
            self.kind.addItem(nic.type, nic.type)
        self.kind.setCurrentIndex(self.kind.findData(nic.type))
        self._kind_changed()
        self.source.setEditText(nic.source)
        select(self.model, nic.model)
        self.mac.setText(nic.mac.lower())
        self._stored_link = link_up(element)
        self.link.setChecked(self._stored_link)
        super().load(stored, live)
        self._live_link = link_up(self.live_device) if self.live_device is not None else None

    def check(self) -> None:
        check_mac(self.mac.text())

    def edit(self, root: ET.Element) -> None:
        values, old = self.values(), self._loaded
        nic = Interface.from_element(self.element(root))
        if (values.type, values.source) != (old.type, old.source):
            nic.type, nic.source = values.type, values.source
        nic.model = values.model
        nic.mac = check_mac(values.mac)
        element = nic.to_element()
        set_link_up(element, values.link_up)
        self.replace(root, element)

    def live_ops(self, live: ET.Element) -> tuple[LiveOp, ...] | None:
        new, old = self.values(), self._loaded
        if not isinstance(old, NicValues):
            return None
        if new == old:
            return ()
        if (new.type, new.source, new.model, new.mac) != (old.type, old.source, old.model, old.mac):
            return None
        for node in live.findall("devices/interface"):
            mac = node.find("mac")
            if mac is not None and mac.get("address", "").lower() == old.mac:
                twin = copy.deepcopy(node)
                set_link_up(twin, new.link_up)
                return (LiveOp(OpKind.UPDATE, xml=ET.tostring(twin, encoding="unicode")),)
        return None

    def pending(self) -> bool:
        return self._live_link is not None and self._live_link != self._stored_link

    @property
    def mac_changed(self) -> bool:
        return isinstance(self._loaded, NicValues) and self.values().mac != self._loaded.mac
