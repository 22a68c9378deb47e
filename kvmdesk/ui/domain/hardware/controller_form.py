"""A controller (USB, SCSI, virtio-serial, PCI …): its model.

The kind and number are shown; the model is a choice of the ones libvirt
knows for that kind, plus whatever the definition says. It takes effect at
the next boot.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kvmdesk.domxml import Controller
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import TypedDeviceForm, chosen, combo, select

MODELS = {
    "usb": ("", "qemu-xhci", "nec-xhci", "ich9-ehci1", "piix3-uhci", "none"),
    "scsi": ("", "virtio-scsi", "lsilogic", "lsisas1068"),
    "virtio-serial": ("",),
    "sata": ("",),
    "ide": ("",),
}


class ControllerForm(TypedDeviceForm[Controller]):
    device_class = Controller

    def __init__(
        self, ctx: FormContext, index: int, kind: str, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, index, title, parent)
        self.kind = plain_label()
        self.number = plain_label()
        self.model = combo(MODELS.get(kind, ("",)))
        self.add_row(self.tr("Type:"), self.kind)
        self.add_row(self.tr("Index:"), self.number)
        self.add_row(self.tr("Model:"), self.model)
        self.model.currentIndexChanged.connect(self.emit_changed)

    def values(self) -> str:
        return chosen(self.model)

    def fill(self, device: Controller) -> None:
        self.kind.setText(device.type)
        self.number.setText(str(device.index) if device.index is not None else "")
        select(self.model, device.model)

    def write(self, device: Controller, values: str, loaded: str) -> None:
        device.model = values
