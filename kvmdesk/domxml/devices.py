"""The devices of a domain as typed objects.

Each class owns a few attributes and children of its element. ``from_element``
keeps the parsed element; ``to_element`` starts from a copy of it and updates
only what the object owns, so anything kvmdesk does not model (addresses,
aliases, unknown attributes and children) survives a parse and build. Empty
strings and None mean "not set": the attribute or child is left out.

The classes live by kind in ``boot_devices`` (disks, interfaces),
``display_devices`` (graphics, video, input), ``char_devices`` (serial,
console, channel), ``platform_devices`` (controller, RNG, TPM) and
``passthrough_devices`` (host devices, USB redirection, shared folders); this
module gathers them into ``Device`` and picks the class for an element.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from kvmdesk.domxml.boot_devices import Disk, Interface
from kvmdesk.domxml.char_devices import Channel, Console, Serial
from kvmdesk.domxml.display_devices import Graphics, Input, Video
from kvmdesk.domxml.nodes import start
from kvmdesk.domxml.passthrough_devices import Filesystem, HostDev, RedirDev
from kvmdesk.domxml.platform_devices import Controller, Rng, Tpm


@dataclass
class UnknownDevice:
    """A device kvmdesk does not model (emulator, memballoon, sound, watchdog ...), kept as is."""

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
    | HostDev
    | RedirDev
    | Filesystem
    | UnknownDevice
)

_CLASSES = (
    Disk,
    Interface,
    Graphics,
    Video,
    Serial,
    Console,
    Controller,
    Input,
    Channel,
    Rng,
    Tpm,
    HostDev,
    RedirDev,
    Filesystem,
)


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
    "Filesystem",
    "Graphics",
    "HostDev",
    "Input",
    "Interface",
    "RedirDev",
    "Rng",
    "Serial",
    "Tpm",
    "UnknownDevice",
    "Video",
    "device_from_element",
]
