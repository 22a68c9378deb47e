"""Disks and network interfaces: the devices a guest boots from.

Both carry a ``<boot order=...>`` child and a source whose attribute name
depends on the device's ``type``. Like every device class (see
``kvmdesk.domxml.devices``), they write only the fields that changed, on a
copy of the parsed element, so unmodelled attributes and children survive.
A source attribute the model does not know for the type (``bridge=`` that
libvirt adds to a running guest's ``network`` interface, ``dev=`` on a
``user`` interface with the passt backend) is kept; only a change of
``type`` clears the source attributes the model knows for other types.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar

from kvmdesk.domxml.nodes import (
    Changes,
    attr_of,
    int_or_none,
    set_child_attrs,
    set_flag,
    start,
)

# The attribute of <disk><source> that holds the source, per disk type.
_DISK_SOURCE = {"file": "file", "block": "dev", "dir": "dir", "network": "name"}
# What libvirt reads a <disk> without a type attribute as.
_DISK_DEFAULT_TYPE = "file"
# The attribute of <interface><source> that holds the source, per interface type.
_NIC_SOURCE = {"network": "network", "bridge": "bridge", "direct": "dev"}


def _set_boot_order(element: ET.Element, order: int | None) -> None:
    set_child_attrs(element, "boot", order=order)


def _boot_order(element: ET.Element) -> int | None:
    return int_or_none(attr_of(element, "boot", "order") or None)


@dataclass
class Disk:
    """<disk>: ``source`` is the path (file, dir), device (block) or name (network).

    ``type`` is "" for a disk written without one, which libvirt reads as a file.
    """

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
        name = _DISK_SOURCE.get(kind or _DISK_DEFAULT_TYPE, "")
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
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(
            element,
            {
                "type": "@type",
                "device": "@device",
                "driver_name": "driver/@name",
                "driver_type": "driver/@type",
                "driver_cache": "driver/@cache",
            },
        )
        holder = _DISK_SOURCE.get(self.type or _DISK_DEFAULT_TYPE)
        if changed("type"):
            # Another type: the source attributes of the old one go.
            values: dict[str, str | int | None] = {a: None for a in _DISK_SOURCE.values()}
            if holder is not None:
                values[holder] = self.source
            values.update(pool=self.pool, volume=self.volume, protocol=self.protocol)
            set_child_attrs(element, "source", **values)
        else:
            if holder is not None and changed("source"):
                set_child_attrs(element, "source", **{holder: self.source})
            for attr in ("pool", "volume", "protocol"):
                if changed(attr):
                    set_child_attrs(element, "source", **{attr: getattr(self, attr)})
        changed.write(element, {"target_dev": "target/@dev", "target_bus": "target/@bus"})
        if changed("readonly"):
            set_flag(element, "readonly", self.readonly)
        if changed("shareable"):
            set_flag(element, "shareable", self.shareable)
        if changed("boot_order"):
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
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(element, {"type": "@type", "mac": "mac/@address"})
        if changed("type"):
            self._set_source(element)
        else:
            name = _NIC_SOURCE.get(self.type)
            if name is not None and changed("source"):
                set_child_attrs(element, "source", **{name: self.source})
            if changed("source_mode"):
                set_child_attrs(element, "source", mode=self.source_mode)
        changed.write(element, {"model": "model/@type"})
        if changed("boot_order"):
            _set_boot_order(element, self.boot_order)
        return element

    def _set_source(self, element: ET.Element) -> None:
        """A new type: the source attributes the model knows for other types go."""
        if self.type not in _NIC_SOURCE and self.type != "user":
            return
        values: dict[str, str | int | None] = {n: None for n in _NIC_SOURCE.values()}
        if self.type in _NIC_SOURCE:
            values[_NIC_SOURCE[self.type]] = self.source
        if self.type == "direct" or self.source_mode:
            values["mode"] = self.source_mode
        set_child_attrs(element, "source", **values)
