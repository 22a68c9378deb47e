"""Devices without a form (memory balloon, panic notifier, SPICE graphics, shared
memory, smartcards ...), and the Overview: shown, not edited.

The device's XML is shown read-only with its passwords masked; the XML tab
edits it. Remove works for these too (the page's button).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from kvmdesk.domxml import secrets
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm
from kvmdesk.ui.domain.hardware.typed_form import DeviceForm
from kvmdesk.virt.shown import shown


class DeviceView(DeviceForm):
    editable = False

    def __init__(
        self, ctx: FormContext, index: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, index, title, parent)
        self.note = dim(
            plain_label(
                self.tr(
                    "kvmdesk shows this device but has no form for it yet; edit it in the XML tab."
                )
            )
        )
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Device definition (XML)"))
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.form.addRow(self.note)
        self.body.insertWidget(self.body.count() - 1, self.text, 100)

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        element = copy.deepcopy(self.element(stored))
        element.tail = None
        ET.indent(element, space="  ")
        masked, _hidden = secrets.mask(ET.tostring(element, encoding="unicode"))
        self.text.setPlainText(masked)
        super().load(stored, live)


class OverviewView(HardwareForm):
    editable = False

    def __init__(self, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Overview"), parent)
        self.name = plain_label()
        self.uuid = plain_label()
        self.hypervisor = plain_label()
        self.machine = plain_label()
        self.emulator = plain_label()
        self.add_row(self.tr("Name:"), self.name)
        self.add_row(self.tr("UUID:"), self.uuid)
        self.add_row(self.tr("Hypervisor:"), self.hypervisor)
        self.add_row(self.tr("Architecture and machine:"), self.machine)
        self.add_row(self.tr("Emulator:"), self.emulator)

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        type_node = stored.find("os/type")
        arch = type_node.get("arch", "") if type_node is not None else ""
        machine = type_node.get("machine", "") if type_node is not None else ""
        self.name.setText(shown(stored.findtext("name") or ""))
        self.uuid.setText(stored.findtext("uuid") or "")
        self.hypervisor.setText(stored.get("type", ""))
        self.machine.setText(" / ".join(part for part in (arch, machine) if part))
        self.emulator.setText(shown(stored.findtext("devices/emulator") or ""))
        super().load(stored, live)
