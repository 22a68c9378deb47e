"""Adding a VNC display to a domain's definition (effective at its next boot)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

from kvmdesk.virt.console import TransientDomainError


class DisplayNotKeptError(RuntimeError):
    """libvirt accepted the definition but did not keep the VNC display."""


def _has_vnc(xml: str) -> bool:
    return any(g.get("type") == "vnc" for g in ET.fromstring(xml).findall("./devices/graphics"))


def add_vnc_display(conn: libvirt.virConnect, uuid: str) -> bool:
    """Add ``<graphics type='vnc' autoport='yes'/>`` (and a VGA adapter where
    there is none) to the persistent definition. Returns whether the domain
    runs now, so that the caller can say the change waits for a restart.
    A definition that has a VNC display already is left alone."""
    dom = conn.lookupByUUIDString(uuid)
    if not dom.isPersistent():
        raise TransientDomainError("a transient domain has no definition to change")
    flags = libvirt.VIR_DOMAIN_XML_INACTIVE
    try:
        xml = str(dom.XMLDesc(flags | libvirt.VIR_DOMAIN_XML_SECURE))
    except libvirt.libvirtError:
        xml = str(dom.XMLDesc(flags))
    if _has_vnc(xml):
        return bool(dom.isActive())
    root = ET.fromstring(xml)
    devices = root.find("devices")
    if devices is None:
        devices = ET.SubElement(root, "devices")
    graphics = ET.Element("graphics", type="vnc", port="-1", autoport="yes")
    existing = devices.findall("graphics")
    at = list(devices).index(existing[-1]) + 1 if existing else len(devices)
    devices.insert(at, graphics)
    if devices.find("video") is None:
        video = ET.SubElement(devices, "video")
        ET.SubElement(video, "model", type="vga")
    define = getattr(libvirt, "VIR_DOMAIN_DEFINE_VALIDATE", 0)
    defined = conn.defineXMLFlags(ET.tostring(root, encoding="unicode"), define)
    if not _has_vnc(str(defined.XMLDesc(flags))):
        raise DisplayNotKeptError("libvirt did not keep the VNC display")
    return bool(defined.isActive())
