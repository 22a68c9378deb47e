"""What the user sees and points with: graphics, video and input devices.

Graphics is the remote display (VNC, SPICE) the viewer connects to, video
the guest's display adapter, input the tablet, keyboard or mouse. They keep
the parsed element and write only the fields that changed (see
``kvmdesk.domxml.devices``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import ClassVar

from kvmdesk.domxml.nodes import (
    Changes,
    attr_of,
    int_or_none,
    set_attr,
    start,
    yes_no,
)


def _listen_address(element: ET.Element) -> str:
    for node in element.findall("listen"):
        if node.get("type") == "address":
            return node.get("address", "")
    return ""


def _set_listen(element: ET.Element, address: str) -> None:
    """The listen attribute (when written, or when there is no <listen>) and the
    first <listen type='address'>; other <listen> children are left alone."""
    listens = element.findall("listen")
    if "listen" in element.attrib or not listens:
        set_attr(element, "listen", address)
    first = next((n for n in listens if n.get("type") == "address"), None)
    if first is not None:
        set_attr(first, "address", address)
    elif listens and address:
        node = ET.Element("listen", {"type": "address"})
        set_attr(node, "address", address)
        element.insert(list(element).index(listens[0]), node)


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
        changed = Changes(self)
        element = start(self.element, self.TAG)
        changed.write(element, {"type": "@type", "port": "@port", "autoport": "@autoport"})
        if changed("listen"):
            _set_listen(element, self.listen)
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
        Changes(self).write(
            element, {"model": "model/@type", "vram": "model/@vram", "heads": "model/@heads"}
        )
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
        Changes(self).write(element, {"type": "@type", "bus": "@bus"})
        return element
