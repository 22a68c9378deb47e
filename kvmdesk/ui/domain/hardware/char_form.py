"""Serial ports, consoles and channels (the QEMU guest agent's among them).

What the host side is (a pseudo-terminal, a file, a UNIX socket), where it
points, and what the guest sees: the kind of serial port (ISA or PCI) and
its number, the kind of console, or a channel's name. All of it takes
effect at the next boot; a channel named ``org.qemu.guest_agent.0`` is the
guest agent's, and is said so.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from kvmdesk.domxml import Channel, Console, Serial
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import TypedDeviceForm, chosen, combo, select
from kvmdesk.virt.plan_input import PlanInputError

AGENT = "org.qemu.guest_agent.0"
HOST_TYPES = ("pty", "file", "unix")
TARGET_TYPES = {
    "serial": ("", "isa-serial", "pci-serial", "usb-serial"),
    "console": ("serial", "virtio"),
    "channel": ("virtio",),
}
CHANNEL_NAMES = (AGENT, "com.redhat.spice.0", "org.libguestfs.channel.0")

CharDevice = Serial | Console | Channel


@dataclass(frozen=True)
class CharValues:
    type: str
    source_path: str
    target_type: str
    target_port: int | None
    target_name: str


class CharForm(TypedDeviceForm[CharDevice]):
    def __init__(
        self, ctx: FormContext, index: int, tag: str, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, index, title, parent)
        self.device_class = {"serial": Serial, "console": Console, "channel": Channel}[tag]
        self.tag = tag
        self.host_type = combo(HOST_TYPES)
        for value, label in (
            ("pty", self.tr("Pseudo-terminal (the Console tab)")),
            ("file", self.tr("File on the host")),
            ("unix", self.tr("UNIX socket on the host")),
        ):
            self.host_type.setItemText(self.host_type.findData(value), label)
        self.path = QLineEdit()
        self.target_type = combo(TARGET_TYPES[tag])
        self.port = QSpinBox()
        self.port.setRange(0, 31)
        self.name = combo(CHANNEL_NAMES)
        self.name.setEditable(True)
        self.agent_note = dim(
            plain_label(
                self.tr(
                    "The QEMU guest agent talks to the host through this channel: "
                    "clean shutdown, file system freeze, the guest's IP addresses."
                )
            )
        )
        self.add_row(self.tr("Host side:"), self.host_type)
        self.add_row(self.tr("Path on the host:"), self.path)
        self.add_row(self.tr("Device type:"), self.target_type)
        if tag == "channel":
            self.add_row(self.tr("Channel name:"), self.name)
            self.form.addRow(self.agent_note)
        else:
            self.add_row(self.tr("Port number:"), self.port)
        self.host_type.currentIndexChanged.connect(self._host_changed)
        self.path.textChanged.connect(self.emit_changed)
        self.target_type.currentIndexChanged.connect(self.emit_changed)
        self.port.valueChanged.connect(self.emit_changed)
        self.name.currentTextChanged.connect(self._name_changed)

    def _host_changed(self, *_args: object) -> None:
        host = chosen(self.host_type)
        self.path.setEnabled(host in ("file", "unix"))
        self.path.setPlaceholderText(self.tr("chosen by libvirt") if host == "unix" else "")
        self.emit_changed()

    def _name_changed(self, *_args: object) -> None:
        if self.tag == "channel":  # elsewhere the note is in no layout: never shown
            self.agent_note.setVisible(self.name.currentText().strip() == AGENT)
        self.emit_changed()

    def values(self) -> CharValues:
        host = chosen(self.host_type)
        return CharValues(
            type=host,
            source_path=self.path.text().strip() if host in ("file", "unix") else "",
            target_type=chosen(self.target_type),
            target_port=self.port.value() if self.tag != "channel" else None,
            target_name=self.name.currentText().strip() if self.tag == "channel" else "",
        )

    def fill(self, device: CharDevice) -> None:
        select(self.host_type, device.type)
        self.path.setText(device.source_path)
        select(self.target_type, device.target_type)
        if isinstance(device, Channel):
            self.name.setCurrentText(device.target_name)
        else:
            self.port.setValue(device.target_port or 0)
        self._host_changed()
        self._name_changed()

    def check(self) -> None:
        values = self.values()
        if values.type == "file" and not values.source_path:
            raise PlanInputError("char_path", "empty", "")
        if values.source_path and not values.source_path.startswith("/"):
            raise PlanInputError("char_path", "relative", values.source_path)
        if self.tag == "channel" and not values.target_name:
            raise PlanInputError("channel_name", "empty", "")

    def write(self, device: CharDevice, values: CharValues, loaded: CharValues) -> None:
        if (values.type, values.source_path) != (loaded.type, loaded.source_path):
            device.type, device.source_path = values.type, values.source_path
        if values.target_type != loaded.target_type:
            device.target_type = values.target_type
        if isinstance(device, Channel):
            if values.target_name != loaded.target_name:
                device.target_name = values.target_name
        elif values.target_port != loaded.target_port:
            device.target_port = values.target_port
