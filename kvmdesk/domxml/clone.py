"""A clone's definition made from its source's (``virt-clone``'s rewrite)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kvmdesk.domxml.check import parse_checked


def clone_xml(
    source_xml: str, name: str, skip: set[str], paths: dict[str, str], macs: list[str]
) -> str:
    """The clone's definition from the source's.

    ``name`` is the clone's; the UUID goes (libvirt makes a new one); disks
    whose target is in ``skip`` go, those in ``paths`` point to their new
    file; ``macs`` gives each interface its MAC in order ("" or missing:
    the MAC goes and libvirt makes a new one). Everything else is kept as
    it is, in its place.
    """
    root = parse_checked(source_xml, root="domain")
    name_elem = root.find("name")
    if name_elem is None:
        name_elem = ET.SubElement(root, "name")
    name_elem.text = name
    for tag in ("uuid",):
        elem = root.find(tag)
        if elem is not None:
            root.remove(elem)
    nvram = root.find("os/nvram")
    if nvram is not None:
        # The variables file is the source's: the clone gets its own from the template.
        nvram.text = None
        for attr in list(nvram.attrib):
            if attr != "template":
                del nvram.attrib[attr]
    devices = root.find("devices")
    if devices is not None:
        for disk in devices.findall("disk"):
            target = disk.find("target")
            dev = target.get("dev", "") if target is not None else ""
            if dev in skip:
                devices.remove(disk)
            elif dev in paths:
                source = disk.find("source")
                if source is None:
                    source = ET.SubElement(disk, "source")
                source.attrib.clear()
                disk.set("type", "file")
                source.set("file", paths[dev])
                for stale in disk.findall("backingStore"):
                    disk.remove(stale)
        for index, nic in enumerate(devices.findall("interface")):
            mac = nic.find("mac")
            wanted = macs[index].strip().lower() if index < len(macs) else ""
            if wanted:
                if mac is None:
                    mac = ET.SubElement(nic, "mac")
                mac.set("address", wanted)
            elif mac is not None:
                nic.remove(mac)  # libvirt makes a new one
        for graphics in devices.findall("graphics"):
            if graphics.get("autoport") != "yes" and graphics.get("port", "-1") != "-1":
                graphics.set("autoport", "yes")
                graphics.attrib.pop("port", None)
    return ET.tostring(root, encoding="unicode")
