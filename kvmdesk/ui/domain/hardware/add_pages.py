"""The pages of Add Hardware… for serial ports, channels, shares, USB
redirection and controllers.

Each page shows the few settings a new device of its kind needs and builds
it with its typed ``domxml`` object (``build``), checked as the forms check
it; ``changed`` tells the dialog to say again whether the device can be
added to the running guest now.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget

from kvmdesk.domxml import Channel, Controller, Filesystem, RedirDev, Serial
from kvmdesk.ui.domain.hardware.char_form import AGENT, CHANNEL_NAMES
from kvmdesk.ui.domain.hardware.controller_form import MODELS
from kvmdesk.ui.domain.hardware.redir_form import check_redirection, redirection_fields, tcp_only
from kvmdesk.ui.domain.hardware.share_form import check_share, driver_choice
from kvmdesk.ui.domain.hardware.typed_form import chosen, combo
from kvmdesk.virt.plan_input import PlanInputError


class AddPage(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)

    def build(self) -> ET.Element:
        raise NotImplementedError

    def emit_changed(self, *_args: object) -> None:
        self.changed.emit()


class SerialPage(AddPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target_type = combo(("", "pci-serial", "usb-serial"))
        self.target_type.setItemText(0, self.tr("ISA (the machine's default)"))
        self.target_type.setItemText(1, self.tr("PCI (can be added while the guest runs)"))
        self.target_type.setItemText(2, self.tr("USB"))
        self.form.addRow(self.tr("Port type:"), self.target_type)
        self.target_type.currentIndexChanged.connect(self.emit_changed)

    def build(self) -> ET.Element:
        return Serial(
            type="pty", target_type=chosen(self.target_type), target_port=None
        ).to_element()


class ChannelPage(AddPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = combo(CHANNEL_NAMES)
        self.name.setEditable(True)
        self.name.setCurrentText(AGENT)
        self.form.addRow(self.tr("Channel name:"), self.name)

    def build(self) -> ET.Element:
        name = self.name.currentText().strip()
        if not name:
            raise PlanInputError("channel_name", "empty", "")
        if name == "com.redhat.spice.0":  # the SPICE agent's: carried by the viewer
            return Channel(type="spicevmc", target_name=name).to_element()
        return Channel(type="unix", target_name=name).to_element()


class SharePage(AddPage):
    def __init__(self, shared_memory: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shared_memory = shared_memory
        self.driver = driver_choice()
        self.source = QLineEdit()
        self.source.setPlaceholderText("/srv/share")
        self.target = QLineEdit()
        self.readonly = QCheckBox(self.tr("Read-only"))
        self.turn_on = QCheckBox(self.tr("Turn on shared memory (virtiofs needs it)"))
        self.turn_on.setChecked(True)
        self.turn_on.setVisible(not shared_memory)
        self.form.addRow(self.tr("Driver:"), self.driver)
        self.form.addRow(self.tr("Host folder:"), self.source)
        self.form.addRow(self.tr("Mount tag in the guest:"), self.target)
        self.form.addRow(self.readonly)
        self.form.addRow(self.turn_on)
        self.driver.currentIndexChanged.connect(self._driver_changed)
        self.source.textChanged.connect(self.emit_changed)
        self.target.textChanged.connect(self.emit_changed)

    def _driver_changed(self, *_args: object) -> None:
        self.turn_on.setVisible(chosen(self.driver) == "virtiofs" and not self.shared_memory)
        self.emit_changed()

    @property
    def turn_on_shared(self) -> bool:
        """The definition gets shared memory with the share."""
        return (
            chosen(self.driver) == "virtiofs"
            and not self.shared_memory
            and (self.turn_on.isChecked())
        )

    def build(self) -> ET.Element:
        source, target = self.source.text().strip(), self.target.text().strip()
        check_share(source, target)
        virtiofs = chosen(self.driver) == "virtiofs"
        return Filesystem(
            driver_type=chosen(self.driver),
            accessmode="passthrough" if virtiofs else "mapped",
            source_dir=source,
            target_dir=target,
            readonly=self.readonly.isChecked(),
        ).to_element()


class RedirPage(AddPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind, self.host, self.port = redirection_fields()
        self.kind.setCurrentIndex(self.kind.findData("tcp"))
        self.host.setText("127.0.0.1")
        self.form.addRow(self.tr("Redirect:"), self.kind)
        self.form.addRow(self.tr("Host:"), self.host)
        self.form.addRow(self.tr("Port:"), self.port)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.host.textChanged.connect(self.emit_changed)
        self.port.textChanged.connect(self.emit_changed)

    def _kind_changed(self, *_args: object) -> None:
        tcp_only(self.kind, self.host, self.port)
        self.emit_changed()

    def build(self) -> ET.Element:
        kind = chosen(self.kind)
        if kind != "tcp":
            return RedirDev(type=kind).to_element()
        host, port = self.host.text().strip(), self.port.text().strip()
        check_redirection(kind, host, port)
        return RedirDev(
            type="tcp", source_mode="connect", source_host=host, source_service=port
        ).to_element()


class ControllerPage(AddPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = combo(("scsi", "usb", "virtio-serial"))
        self.kind.setItemText(0, self.tr("SCSI"))
        self.kind.setItemText(1, self.tr("USB"))
        self.kind.setItemText(2, self.tr("virtio-serial (for channels)"))
        self.model = combo(MODELS["scsi"])
        self.form.addRow(self.tr("Type:"), self.kind)
        self.form.addRow(self.tr("Model:"), self.model)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self, *_args: object) -> None:
        self.model.clear()
        for value in MODELS.get(chosen(self.kind), ("",)):
            self.model.addItem(value or self.tr("Hypervisor default"), value)
        if chosen(self.kind) == "scsi":
            self.model.setCurrentIndex(self.model.findData("virtio-scsi"))
        self.emit_changed()

    def build(self) -> ET.Element:
        return Controller(type=chosen(self.kind), model=chosen(self.model)).to_element()


__all__ = ["AddPage", "ChannelPage", "ControllerPage", "RedirPage", "SerialPage", "SharePage"]
