"""USB redirection: a USB device of the viewer's machine (SPICE) or of a
TCP server (usbredir) plugged into the guest.

The kind, and for TCP the host and port to connect to. It takes effect at
the next boot.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.domxml import RedirDev
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import TypedDeviceForm, chosen, combo, select
from kvmdesk.virt.plan_input import PlanInputError

KINDS = ("spicevmc", "tcp")


@dataclass(frozen=True)
class RedirValues:
    type: str
    host: str
    port: str


def redirection_fields() -> tuple[QComboBox, QLineEdit, QLineEdit]:
    """The kind of redirection, and the host and port of a TCP one."""
    kind = combo(KINDS)
    kind.setItemText(kind.findData("spicevmc"), tr("From the SPICE viewer"))
    kind.setItemText(kind.findData("tcp"), tr("From a usbredir server (TCP)"))
    return kind, QLineEdit(), QLineEdit()


def tcp_only(kind: QComboBox, host: QLineEdit, port: QLineEdit) -> bool:
    """Host and port are for TCP only; True when TCP is chosen."""
    tcp = chosen(kind) == "tcp"
    host.setEnabled(tcp)
    port.setEnabled(tcp)
    return tcp


def check_redirection(kind: str, host: str, port: str) -> None:
    if kind != "tcp":
        return
    if not host:
        raise PlanInputError("redir_host", "empty", "")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise PlanInputError("redir_port", "invalid", port)


class RedirForm(TypedDeviceForm[RedirDev]):
    device_class = RedirDev

    def __init__(
        self, ctx: FormContext, index: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, index, title, parent)
        self.kind, self.host, self.port = redirection_fields()
        self.add_row(self.tr("Redirect:"), self.kind)
        self.add_row(self.tr("Host:"), self.host)
        self.add_row(self.tr("Port:"), self.port)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.host.textChanged.connect(self.emit_changed)
        self.port.textChanged.connect(self.emit_changed)

    def _kind_changed(self, *_args: object) -> None:
        tcp_only(self.kind, self.host, self.port)
        self.emit_changed()

    def values(self) -> RedirValues:
        tcp = chosen(self.kind) == "tcp"
        return RedirValues(
            type=chosen(self.kind),
            host=self.host.text().strip() if tcp else "",
            port=self.port.text().strip() if tcp else "",
        )

    def fill(self, device: RedirDev) -> None:
        select(self.kind, device.type)
        self.host.setText(device.source_host)
        self.port.setText(device.source_service)
        self._kind_changed()

    def check(self) -> None:
        values = self.values()
        check_redirection(values.type, values.host, values.port)

    def write(self, device: RedirDev, values: RedirValues, loaded: RedirValues) -> None:
        if values.type != loaded.type:
            device.type = values.type
            device.source_mode = "connect" if values.type == "tcp" else ""
        if values.host != loaded.host:
            device.source_host = values.host
        if values.port != loaded.port:
            device.source_service = values.port
