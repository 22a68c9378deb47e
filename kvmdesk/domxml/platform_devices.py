"""Platform devices: controllers, the random number generator and the TPM.

They keep the parsed element and write only the fields that changed (see
``kvmdesk.domxml.devices``); the RNG and TPM own parts of their
``<backend>`` child.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar

from kvmdesk.domxml.nodes import (
    Changes,
    attr_of,
    drop_if_empty,
    int_or_none,
    set_child_attrs,
    start,
    text_of,
    text_value,
)


@dataclass
class Controller:
    """<controller type='usb|pci|virtio-serial|scsi|sata|ide' index=... model=...>."""

    TAG: ClassVar[str] = "controller"
    type: str = "usb"
    index: int | None = None
    model: str = ""
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Controller:
        return cls(
            type=element.get("type", ""),
            index=int_or_none(element.get("index")),
            model=element.get("model", ""),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        Changes(self).write(element, {"type": "@type", "index": "@index", "model": "@model"})
        return element


def _device_path(backend: ET.Element | None) -> str:
    """The host device of a random backend; "" for an egd backend, whose
    <source> children are indented by whitespace that is no path."""
    text = text_of(backend)
    return "" if backend is not None and len(backend) and not text.strip() else text


@dataclass
class Rng:
    """<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>."""

    TAG: ClassVar[str] = "rng"
    model: str = "virtio"
    backend_model: str = "random"
    backend: str = "/dev/urandom"
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Rng:
        return cls(
            model=element.get("model", ""),
            backend_model=attr_of(element, "backend", "model"),
            backend=_device_path(element.find("backend")),
            element=element,
        )

    def to_element(self) -> ET.Element:
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(element, {"model": "@model", "backend_model": "backend/@model"})
        if changed("backend"):
            self._set_backend(element)
        return element

    def _set_backend(self, element: ET.Element) -> None:
        backend = element.find("backend")
        if self.backend:
            if backend is None:
                backend = ET.SubElement(element, "backend")
            value = text_value(self.backend, "rng/backend")
            if backend.text != value:
                backend.text = value
        elif backend is not None:
            backend.text = None
            drop_if_empty(element, "backend")


@dataclass
class Tpm:
    """<tpm model=...><backend type='emulator' version='2.0'/></tpm>, or passthrough."""

    TAG: ClassVar[str] = "tpm"
    model: str = "tpm-crb"  # tpm-tis, tpm-crb, tpm-spapr
    backend_type: str = "emulator"  # emulator, passthrough
    backend_version: str = "2.0"
    device_path: str = ""  # passthrough: /dev/tpm0
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Tpm:
        backend = element.find("backend")
        return cls(
            model=element.get("model", ""),
            backend_type=backend.get("type", "") if backend is not None else "",
            backend_version=backend.get("version", "") if backend is not None else "",
            device_path=attr_of(backend, "device", "path"),
            element=element,
        )

    def to_element(self) -> ET.Element:
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(
            element,
            {
                "model": "@model",
                "backend_type": "backend/@type",
                "backend_version": "backend/@version",
            },
        )
        if changed("device_path"):
            backend = element.find("backend")
            if backend is not None:
                set_child_attrs(backend, "device", path=self.device_path)
                drop_if_empty(element, "backend")
            elif self.device_path:
                set_child_attrs(ET.SubElement(element, "backend"), "device", path=self.device_path)
        return element
