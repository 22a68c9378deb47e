"""The display (VNC or SPICE graphics) and the video adapter.

Graphics: listen address, port (or chosen by libvirt), password. The
password is never shown, logged or kept in the settings: an empty field
keeps the one stored (the definition is read with its secrets), a new one
replaces it, and "no password" removes it. A new password can be set on a
running guest now (``updateDeviceFlags``); the rest takes effect at the
next boot. Video: the adapter model, at the next boot.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from kvmdesk.domxml import Graphics, Video
from kvmdesk.domxml.nodes import set_attr
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import (
    DeviceForm,
    TypedDeviceForm,
    chosen,
    combo,
    select,
)
from kvmdesk.virt.hardware import LiveOp, OpKind
from kvmdesk.virt.plan_input import PlanInputError

VIDEO_MODELS = ("virtio", "qxl", "vga", "bochs", "ramfb", "cirrus", "none")
_MODEL_SIZES = ("vram", "ram", "vgamem", "vram64")  # sizes that belong to one model


@dataclass(frozen=True)
class GraphicsValues:
    listen: str
    autoport: bool
    port: int
    password_on: bool
    new_password: str = field(default="", repr=False)


class GraphicsForm(DeviceForm):
    def __init__(self, ctx: FormContext, index: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, index, self.tr("Display"), parent)
        self.kind = plain_label()
        self.listen = QComboBox()
        self.listen.setEditable(True)
        self.listen.addItem(self.tr("This host only (127.0.0.1)"), "127.0.0.1")
        self.listen.addItem(self.tr("All interfaces (0.0.0.0)"), "0.0.0.0")
        self.autoport = QCheckBox(self.tr("Port chosen by libvirt"))
        self.port = QSpinBox()
        self.port.setRange(5900, 65535)
        self.password_on = QCheckBox(self.tr("Require a password"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("unchanged"))
        self.add_row(self.tr("Type:"), self.kind)
        self.add_row(self.tr("Listen on:"), self.listen)
        self.form.addRow(self.autoport)
        self.add_row(self.tr("Port:"), self.port)
        self.form.addRow(self.password_on)
        self.add_row(self.tr("New password:"), self.password)
        self.listen.currentTextChanged.connect(self.emit_changed)
        self.autoport.toggled.connect(self._autoport_toggled)
        self.port.valueChanged.connect(self.emit_changed)
        self.password_on.toggled.connect(self._password_toggled)
        self.password.textChanged.connect(self.emit_changed)

    def _autoport_toggled(self, on: bool) -> None:
        self.port.setEnabled(not on)
        self.emit_changed()

    def _password_toggled(self, on: bool) -> None:
        self.password.setEnabled(on)
        self.emit_changed()

    def _listen(self) -> str:
        text = self.listen.currentText().strip()
        index = self.listen.findText(text)
        data = self.listen.itemData(index) if index >= 0 else None
        return str(data) if data else text

    def values(self) -> GraphicsValues:
        return GraphicsValues(
            listen=self._listen(),
            autoport=self.autoport.isChecked(),
            port=self.port.value(),
            password_on=self.password_on.isChecked(),
            new_password=self.password.text() if self.password_on.isChecked() else "",
        )

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        element = self.element(stored)
        graphics = Graphics.from_element(element)
        self.kind.setText(graphics.type.upper())
        for label, value in ((self.listen.itemText(i), self.listen.itemData(i)) for i in range(2)):
            if value == graphics.listen:
                self.listen.setCurrentText(label)
                break
        else:
            self.listen.setCurrentText(graphics.listen)
        autoport = graphics.autoport is not False and (graphics.port or -1) < 0
        self.autoport.setChecked(autoport)
        self._autoport_toggled(autoport)
        self.port.setValue(graphics.port if graphics.port and graphics.port > 0 else 5900)
        has_password = "passwd" in element.attrib
        self.password_on.setChecked(has_password)
        self._password_toggled(has_password)
        self.password.clear()
        super().load(stored, live)

    def check(self) -> None:
        values = self.values()
        if values.password_on and not values.new_password and not self._loaded.password_on:
            raise PlanInputError("password", "empty", "")
        if values.new_password and self.kind.text() == "VNC" and len(values.new_password) > 8:
            raise PlanInputError("password", "long", "", 8)

    def edit(self, root: ET.Element) -> None:
        values, old = self.values(), self._loaded
        graphics = Graphics.from_element(self.element(root))
        if values.listen != old.listen:
            graphics.listen = values.listen
        if (values.autoport, values.port) != (old.autoport, old.port):
            graphics.autoport = values.autoport
            graphics.port = -1 if values.autoport else values.port
        element = graphics.to_element()
        _set_password(element, values, old)
        self.replace(root, element)

    def live_ops(self, live: ET.Element) -> tuple[LiveOp, ...] | None:
        new, old = self.values(), self._loaded
        if (new.listen, new.autoport, new.port) != (old.listen, old.autoport, old.port):
            return None
        twin = self.twin(live)
        if twin is None:
            return None
        element = copy.deepcopy(twin)
        _set_password(element, new, old)
        return (LiveOp(OpKind.UPDATE, xml=ET.tostring(element, encoding="unicode")),)


def _set_password(element: ET.Element, new: GraphicsValues, old: GraphicsValues) -> None:
    if not new.password_on:
        set_attr(element, "passwd", None)
    elif new.new_password:
        set_attr(element, "passwd", new.new_password)
    elif not old.password_on:
        set_attr(element, "passwd", None)


class VideoForm(TypedDeviceForm[Video]):
    device_class = Video

    def __init__(self, ctx: FormContext, index: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, index, self.tr("Video"), parent)
        self.model = combo(VIDEO_MODELS)
        self.add_row(self.tr("Model:"), self.model)
        self.model.currentIndexChanged.connect(self.emit_changed)

    def values(self) -> str:
        return chosen(self.model)

    def fill(self, device: Video) -> None:
        select(self.model, device.model)

    def write(self, device: Video, values: str, loaded: str) -> None:
        device.model, device.vram = values, None

    def edit(self, root: ET.Element) -> None:
        super().edit(root)
        model = self.element(root).find("model")
        if model is not None and self.values() != self._loaded:
            for name in _MODEL_SIZES:  # sizes that belonged to the old model
                model.attrib.pop(name, None)
