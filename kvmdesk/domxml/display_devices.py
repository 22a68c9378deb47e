"""What the user sees and points with: graphics, video and input devices.

Graphics is the remote display (VNC, SPICE) the viewer connects to, video
the guest's display adapter, input the tablet, keyboard or mouse. They keep
the parsed element and update only what they own (see
``kvmdesk.domxml.devices``).
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
    set_yes_no,
    start,
    yes_no,
)


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
