"""The devices of a domain as typed objects.

Each class owns a few attributes and children of its element. ``from_element``
keeps the parsed element; ``to_element`` starts from a copy of it and updates
only what the object owns, so anything kvmdesk does not model (addresses,
aliases, unknown attributes and children) survives a parse and build. Empty
strings and None mean "not set": the attribute or child is left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar, Self

from kvmdesk.domxml.nodes import (
    attr_of,
    drop_if_empty,
    int_or_none,
    set_attr,
    set_child_attrs,
    set_flag,
    set_yes_no,
    start,
    text_of,
    text_value,
    yes_no,
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


def _listen_address(element: ET.Element) -> str:
    for node in element.findall("listen"):
        if node.get("type") == "address":
            return node.get("address", "")
    return ""


@dataclass
class Graphics:
    """<graphics type='vnc|spice'>; ``listen`` is an address ("" for libvirt's default)."""

    TAG: ClassVar[str] = "graphics"
    type: str = "vnc"
    autoport: bool | None = True
    port: int | None = None
    listen: str = ""
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Graphics:
        return cls(
            type=element.get("type", ""),
            autoport=yes_no(element, "autoport"),
            port=int_or_none(element.get("port")),
            listen=element.get("listen", "") or _listen_address(element),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "type", self.type)
        set_attr(element, "port", self.port)
        set_yes_no(element, "autoport", self.autoport)
        addresses = [n for n in element.findall("listen") if n.get("type") == "address"]
        if "listen" in element.attrib or not addresses:
            set_attr(element, "listen", self.listen)
        for node in addresses:
            set_attr(node, "address", self.listen)
        return element


@dataclass
class Video:
    """<video><model type=... vram=... heads=.../></video>; vram in KiB."""

    TAG: ClassVar[str] = "video"
    model: str = "virtio"  # virtio, qxl, vga, cirrus, bochs, ramfb, none
    vram: int | None = None
    heads: int | None = None
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Video:
        return cls(
            model=attr_of(element, "model", "type"),
            vram=int_or_none(attr_of(element, "model", "vram") or None),
            heads=int_or_none(attr_of(element, "model", "heads") or None),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_child_attrs(element, "model", type=self.model, vram=self.vram, heads=self.heads)
        return element


@dataclass
class _CharDevice:
    """Serial ports and consoles: <serial type='pty'><target port='0'/></serial>."""

    TAG: ClassVar[str] = ""
    type: str = "pty"  # pty, file, unix, dev, tcp ...
    target_type: str = ""  # serial: isa-serial ...; console: serial, virtio
    target_port: int | None = 0
    source_path: str = ""  # file, unix and dev types
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Self:
        return cls(
            type=element.get("type", ""),
            target_type=attr_of(element, "target", "type"),
            target_port=int_or_none(attr_of(element, "target", "port") or None),
            source_path=attr_of(element, "source", "path"),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "type", self.type)
        set_child_attrs(element, "source", path=self.source_path)
        set_child_attrs(element, "target", type=self.target_type, port=self.target_port)
        return element


@dataclass
class Serial(_CharDevice):
    TAG: ClassVar[str] = "serial"


@dataclass
class Console(_CharDevice):
    TAG: ClassVar[str] = "console"
    target_type: str = "serial"


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
        set_attr(element, "type", self.type)
        set_attr(element, "index", self.index)
        set_attr(element, "model", self.model)
        return element


@dataclass
class Input:
    """<input type='tablet|keyboard|mouse' bus='usb|ps2|virtio'/>."""

    TAG: ClassVar[str] = "input"
    type: str = "tablet"
    bus: str = "usb"
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Input:
        return cls(type=element.get("type", ""), bus=element.get("bus", ""), element=element)

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "type", self.type)
        set_attr(element, "bus", self.bus)
        return element


@dataclass
class Channel:
    """<channel type='unix|spicevmc'><target type='virtio' name=.../></channel>."""

    TAG: ClassVar[str] = "channel"
    type: str = "unix"
    target_name: str = "org.qemu.guest_agent.0"
    target_type: str = "virtio"
    source_path: str = ""  # unix: libvirt picks one when empty
    source_mode: str = ""  # unix: bind
    element: ET.Element | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_element(cls, element: ET.Element) -> Channel:
        return cls(
            type=element.get("type", ""),
            target_name=attr_of(element, "target", "name"),
            target_type=attr_of(element, "target", "type"),
            source_path=attr_of(element, "source", "path"),
            source_mode=attr_of(element, "source", "mode"),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "type", self.type)
        set_child_attrs(element, "source", mode=self.source_mode, path=self.source_path)
        set_child_attrs(element, "target", type=self.target_type, name=self.target_name)
        return element


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
            backend=text_of(element, "backend"),
            element=element,
        )

    def to_element(self) -> ET.Element:
        element = start(self.element, self.TAG)
        set_attr(element, "model", self.model)
        set_child_attrs(element, "backend", model=self.backend_model)
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
        return element


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
        element = start(self.element, self.TAG)
        set_attr(element, "model", self.model)
        set_child_attrs(element, "backend", type=self.backend_type, version=self.backend_version)
        backend = element.find("backend")
        if backend is not None:
            set_child_attrs(backend, "device", path=self.device_path)
            drop_if_empty(element, "backend")
        elif self.device_path:
            set_child_attrs(ET.SubElement(element, "backend"), "device", path=self.device_path)
        return element


@dataclass
class UnknownDevice:
    """A device kvmdesk does not model (emulator, memballoon, sound, hostdev ...), kept as is."""

    xml: str

    @property
    def tag(self) -> str:
        return str(ET.fromstring(self.xml).tag)

    @classmethod
    def from_element(cls, element: ET.Element) -> UnknownDevice:
        copy = start(element, str(element.tag))
        return cls(xml=ET.tostring(copy, encoding="unicode"))

    def to_element(self) -> ET.Element:
        return ET.fromstring(self.xml)


Device = (
    Disk
    | Interface
    | Graphics
    | Video
    | Serial
    | Console
    | Controller
    | Input
    | Channel
    | Rng
    | Tpm
    | UnknownDevice
)

_CLASSES = (Disk, Interface, Graphics, Video, Serial, Console, Controller, Input, Channel, Rng, Tpm)


def device_from_element(element: ET.Element) -> Device:
    for cls in _CLASSES:
        if element.tag == cls.TAG:
            return cls.from_element(element)
    return UnknownDevice.from_element(element)


__all__ = [
    "Channel",
    "Console",
    "Controller",
    "Device",
    "Disk",
    "Graphics",
    "Input",
    "Interface",
    "Rng",
    "Serial",
    "Tpm",
    "UnknownDevice",
    "Video",
    "device_from_element",
]
