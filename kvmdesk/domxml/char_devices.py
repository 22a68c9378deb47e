"""Character devices: serial ports, consoles and channels.

Serial ports and consoles are what the serial console page reads; channels
carry host-guest links such as the QEMU guest agent. They keep the parsed
element and write only the fields that changed (see ``kvmdesk.domxml.devices``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar, Self

from kvmdesk.domxml.nodes import (
    Changes,
    attr_of,
    int_or_none,
    start,
)


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
        Changes(self).write(
            element,
            {
                "type": "@type",
                "source_path": "source/@path",
                "target_type": "target/@type",
                "target_port": "target/@port",
            },
        )
        return element


@dataclass
class Serial(_CharDevice):
    TAG: ClassVar[str] = "serial"


@dataclass
class Console(_CharDevice):
    TAG: ClassVar[str] = "console"
    target_type: str = "serial"


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
        Changes(self).write(
            element,
            {
                "type": "@type",
                "source_mode": "source/@mode",
                "source_path": "source/@path",
                "target_type": "target/@type",
                "target_name": "target/@name",
            },
        )
        return element
