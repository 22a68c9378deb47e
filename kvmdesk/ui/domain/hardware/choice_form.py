"""Small devices whose settings are a choice or two: sound, watchdog, input, RNG, TPM.

Each field is one attribute of the device element (or of a child), picked
from the values libvirt knows; the value stored is offered even when it is
not in the list. Only a changed field is written; the rest of the element
stays as it was. All of it takes effect at the next boot.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.domxml.nodes import set_attr
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import DeviceForm, select


@dataclass(frozen=True)
class Choice:
    label: str
    path: str  # "" for the element itself, or a child tag
    attribute: str
    values: tuple[str, ...]


def choices_for(element: ET.Element) -> tuple[Choice, ...]:
    """The fields of a device family, or () when it has no choice form."""
    tag = element.tag
    if tag == "sound":
        return (Choice(tr("Model:"), "", "model", ("ich9", "ich6", "ac97", "es1370", "usb")),)
    if tag == "watchdog":
        return (
            Choice(tr("Model:"), "", "model", ("i6300esb", "ib700", "itco")),
            Choice(
                tr("When the guest hangs:"),
                "",
                "action",
                ("reset", "shutdown", "poweroff", "pause", "none", "dump", "inject-nmi"),
            ),
        )
    if tag == "input" and element.get("type") in ("tablet", "mouse", "keyboard"):
        return (Choice(tr("Bus:"), "", "bus", ("usb", "virtio", "ps2")),)
    if tag == "rng":
        return (Choice(tr("Model:"), "", "model", ("virtio", "virtio-transitional")),)
    if tag == "tpm":
        return (Choice(tr("Model:"), "", "model", ("tpm-crb", "tpm-tis")),)
    return ()


def _node(element: ET.Element, path: str) -> ET.Element | None:
    return element if not path else element.find(path)


class ChoiceForm(DeviceForm):
    def __init__(
        self,
        ctx: FormContext,
        index: int,
        title: str,
        choices: tuple[Choice, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, index, title, parent)
        self.choices = choices
        self.combos: list[QComboBox] = []
        for choice in choices:
            combo = QComboBox()
            for value in choice.values:
                combo.addItem(value, value)
            combo.currentIndexChanged.connect(self.emit_changed)
            self.add_row(choice.label, combo)
            self.combos.append(combo)

    def values(self) -> tuple[str, ...]:
        return tuple(str(combo.currentData() or "") for combo in self.combos)

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        element = self.element(stored)
        for choice, combo in zip(self.choices, self.combos, strict=True):
            node = _node(element, choice.path)
            value = node.get(choice.attribute, "") if node is not None else ""
            select(combo, value)
        super().load(stored, live)

    def edit(self, root: ET.Element) -> None:
        element = copy.deepcopy(self.element(root))
        for choice, new, old in zip(self.choices, self.values(), self._loaded, strict=True):
            node = _node(element, choice.path)
            if new != old and node is not None:
                set_attr(node, choice.attribute, new)
        self.replace(root, element)
