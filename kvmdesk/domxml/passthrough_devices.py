"""Devices that hand something of the host to the guest: host devices, USB
redirection and shared folders.

``HostDev`` is a USB device (by vendor and product id) or a PCI device (by
address) of the host; ``RedirDev`` a USB device redirected over SPICE or TCP;
``Filesystem`` a host folder shared through virtiofs or 9p. Like every typed
device they keep the parsed element and write only the fields that changed
(see ``kvmdesk.domxml.devices``): a PCI address kept in hexadecimal stays
so, a ``<boot>``, ``<alias>`` or ``<address>`` of the guest stays untouched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar

from kvmdesk.domxml.nodes import (
    Changes,
    attr_of,
    drop_if_empty,
    set_child_attrs,
    set_flag,
    start,
    yes_no,
)

PCI_PARTS = ("domain", "bus", "slot", "function")


def _set_source_attrs(element: ET.Element, tag: str, **values: str) -> None:
    """Attributes of <source><tag/></source>; emptied children go, <source> too."""
    source = element.find("source")
    if source is None:
        if not any(values.values()):
            return
        source = ET.SubElement(element, "source")
    set_child_attrs(source, tag, **values)
    drop_if_empty(element, "source")


@dataclass
class HostDev:
    """<hostdev mode='subsystem' type='usb|pci' managed='yes'><source>…</source></hostdev>."""

    TAG: ClassVar[str] = "hostdev"
    type: str = "usb"  # usb, pci (scsi, mdev ... are kept as parsed)
    mode: str = "subsystem"
    managed: bool | None = True
    vendor_id: str = ""  # usb: 0x0781
    product_id: str = ""
    pci_domain: str = ""  # pci: 0x0000
    pci_bus: str = ""
    pci_slot: str = ""
    pci_function: str = ""
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> HostDev:
        source = element.find("source")
        return cls(
            type=element.get("type", ""),
            mode=element.get("mode", ""),
            managed=yes_no(element, "managed"),
            vendor_id=attr_of(source, "vendor", "id"),
            product_id=attr_of(source, "product", "id"),
            pci_domain=attr_of(source, "address", "domain"),
            pci_bus=attr_of(source, "address", "bus"),
            pci_slot=attr_of(source, "address", "slot"),
            pci_function=attr_of(source, "address", "function"),
            element=element,
        )

    @classmethod
    def pci(cls, domain: int, bus: int, slot: int, function: int) -> HostDev:
        return cls(
            type="pci",
            pci_domain=f"0x{domain:04x}",
            pci_bus=f"0x{bus:02x}",
            pci_slot=f"0x{slot:02x}",
            pci_function=f"0x{function:x}",
        )

    @property
    def pci_address(self) -> tuple[int, int, int, int] | None:
        parts = (self.pci_domain, self.pci_bus, self.pci_slot, self.pci_function)
        try:
            domain, bus, slot, function = (int(p or "0", 0) for p in parts)
        except ValueError:
            return None
        return None if not any(parts) else (domain, bus, slot, function)

    def to_element(self) -> ET.Element:
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(element, {"mode": "@mode", "type": "@type", "managed": "@managed"})
        if changed("vendor_id"):
            _set_source_attrs(element, "vendor", id=self.vendor_id)
        if changed("product_id"):
            _set_source_attrs(element, "product", id=self.product_id)
        for part in PCI_PARTS:
            if changed(f"pci_{part}"):
                _set_source_attrs(element, "address", **{part: getattr(self, f"pci_{part}")})
        return element


@dataclass
class RedirDev:
    """<redirdev bus='usb' type='spicevmc|tcp'><source mode='connect' host service/></redirdev>."""

    TAG: ClassVar[str] = "redirdev"
    type: str = "spicevmc"
    bus: str = "usb"
    source_mode: str = ""  # tcp: connect (or bind)
    source_host: str = ""
    source_service: str = ""  # tcp: the port
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> RedirDev:
        return cls(
            type=element.get("type", ""),
            bus=element.get("bus", ""),
            source_mode=attr_of(element, "source", "mode"),
            source_host=attr_of(element, "source", "host"),
            source_service=attr_of(element, "source", "service"),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        Changes(self).write(
            element,
            {
                "bus": "@bus",
                "type": "@type",
                "source_mode": "source/@mode",
                "source_host": "source/@host",
                "source_service": "source/@service",
            },
        )
        return element


@dataclass
class Filesystem:
    """<filesystem type='mount'><driver type='virtiofs'/><source dir/><target dir/></filesystem>.

    ``driver_type`` "virtiofs" shares through virtiofsd (needs shared
    memory); "" or "path" is 9p, which QEMU serves itself.
    """

    TAG: ClassVar[str] = "filesystem"
    type: str = "mount"
    accessmode: str = ""  # 9p: passthrough, mapped, squash
    driver_type: str = "virtiofs"
    source_dir: str = ""
    target_dir: str = ""  # the tag the guest mounts
    readonly: bool = False
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @property
    def virtiofs(self) -> bool:
        return self.driver_type == "virtiofs"

    @classmethod
    def from_element(cls, element: ET.Element) -> Filesystem:
        return cls(
            type=element.get("type", ""),
            accessmode=element.get("accessmode", ""),
            driver_type=attr_of(element, "driver", "type"),
            source_dir=attr_of(element, "source", "dir"),
            target_dir=attr_of(element, "target", "dir"),
            readonly=element.find("readonly") is not None,
            element=element,
        )

    def to_element(self) -> ET.Element:
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(
            element,
            {
                "type": "@type",
                "accessmode": "@accessmode",
                "driver_type": "driver/@type",
                "source_dir": "source/@dir",
                "target_dir": "target/@dir",
            },
        )
        if changed("readonly"):
            set_flag(element, "readonly", self.readonly)
        return element


__all__ = ["PCI_PARTS", "Filesystem", "HostDev", "RedirDev"]
