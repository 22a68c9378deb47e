"""Disks and network interfaces: the devices a guest boots from.

Both carry a ``<boot order=...>`` child and a source whose attribute name
depends on the device's ``type``. Like every device class (see
``kvmdesk.domxml.devices``), they update only what they own on a copy of
the parsed element, so unmodelled attributes and children survive.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar

from kvmdesk.domxml.nodes import (
    attr_of,
    int_or_none,
    set_attr,
    set_child_attrs,
    set_flag,
    start,
)

# The attribute of <disk><source> that holds the source, per disk type.
_DISK_SOURCE = {"file": "file", "block": "dev", "dir": "dir", "network": "name"}
# The attribute of <interface><source> that holds the source, per interface type.
_NIC_SOURCE = {"network": "network", "bridge": "bridge", "direct": "dev"}


def _set_boot_order(element: ET.Element, order: int | None) -> None:
    set_child_attrs(element, "boot", order=order)


def _boot_order(element: ET.Element) -> int | None:
    return int_or_none(attr_of(element, "boot", "order") or None)


@dataclass
class Disk:
    """<disk>: ``source`` is the path (file, dir), device (block) or name (network)."""

    TAG: ClassVar[str] = "disk"
    source: str = ""
    device: str = "disk"  # disk, cdrom, floppy, lun
    type: str = "file"  # file, block, volume, network, dir
    target_dev: str = ""  # vda, sda, hdc ...
    target_bus: str = ""  # virtio, sata, scsi, ide, usb
    driver_name: str = "qemu"
    driver_type: str = ""  # raw, qcow2 ...
    driver_cache: str = ""  # none, writeback ...
    pool: str = ""  # type volume
    volume: str = ""  # type volume
    protocol: str = ""  # type network: rbd, nbd, iscsi, http ...
    readonly: bool = False
    shareable: bool = False
    boot_order: int | None = None
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Disk:
        kind = element.get("type", "")
        source = element.find("source")
        name = _DISK_SOURCE.get(kind, "")
        return cls(
            source=source.get(name, "") if source is not None and name else "",
            device=element.get("device", ""),
            type=kind,
            target_dev=attr_of(element, "target", "dev"),
            target_bus=attr_of(element, "target", "bus"),
            driver_name=attr_of(element, "driver", "name"),
            driver_type=attr_of(element, "driver", "type"),
            driver_cache=attr_of(element, "driver", "cache"),
            pool=attr_of(element, "source", "pool"),
            volume=attr_of(element, "source", "volume"),
            protocol=attr_of(element, "source", "protocol"),
            readonly=element.find("readonly") is not None,
            shareable=element.find("shareable") is not None,
            boot_order=_boot_order(element),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "type", self.type)
        set_attr(element, "device", self.device)
        set_child_attrs(
            element,
            "driver",
            name=self.driver_name,
            type=self.driver_type,
            cache=self.driver_cache,
        )
        values: dict[str, str | int | None] = {name: None for name in _DISK_SOURCE.values()}
        if self.type in _DISK_SOURCE:
            values[_DISK_SOURCE[self.type]] = self.source
        values.update(pool=self.pool, volume=self.volume, protocol=self.protocol)
        set_child_attrs(element, "source", **values)
        set_child_attrs(element, "target", dev=self.target_dev, bus=self.target_bus)
        set_flag(element, "readonly", self.readonly)
        set_flag(element, "shareable", self.shareable)
        _set_boot_order(element, self.boot_order)
        return element


@dataclass
class Interface:
    """<interface>: ``source`` is the network, bridge or host device, by ``type``."""

    TAG: ClassVar[str] = "interface"
    type: str = "network"  # network, bridge, direct, user ...
    source: str = ""
    mac: str = ""
    model: str = "virtio"
    source_mode: str = ""  # direct: bridge, vepa, private, passthrough
    boot_order: int | None = None
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Interface:
        kind = element.get("type", "")
        name = _NIC_SOURCE.get(kind, "")
        return cls(
            type=kind,
            source=attr_of(element, "source", name) if name else "",
            mac=attr_of(element, "mac", "address"),
            model=attr_of(element, "model", "type"),
            source_mode=attr_of(element, "source", "mode") if kind == "direct" else "",
            boot_order=_boot_order(element),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "type", self.type)
        set_child_attrs(element, "mac", address=self.mac)
        if self.type in _NIC_SOURCE or self.type == "user":
            values: dict[str, str | int | None] = {n: None for n in _NIC_SOURCE.values()}
            if self.type in _NIC_SOURCE:
                values[_NIC_SOURCE[self.type]] = self.source
            if self.type == "direct" or self.source_mode:
                values["mode"] = self.source_mode
            set_child_attrs(element, "source", **values)
        set_child_attrs(element, "model", type=self.model)
        _set_boot_order(element, self.boot_order)
        return element
