"""The host's USB and PCI devices a guest can be given, and which domains have them.

From ``listAllDevices`` (node devices) in one call, and the definitions of
the domains once, to say which of them already pass a device through:
a USB device is matched by vendor and product id, a PCI device by address.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

import libvirt


@dataclass(frozen=True)
class HostDevice:
    kind: str  # usb, pci
    name: str  # the node device's name: usb_1_2, pci_0000_00_1f_3
    vendor_id: str = ""  # 0x0781
    product_id: str = ""
    vendor: str = ""
    product: str = ""
    pci_address: tuple[int, int, int, int] | None = None  # domain, bus, slot, function
    used_by: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """What a <hostdev> of a domain names: ids for USB, the address for PCI."""
        if self.kind == "usb":
            return f"usb:{self.vendor_id.lower()}:{self.product_id.lower()}"
        return f"pci:{self.pci_address}"


def _int(text: str | None) -> int:
    try:
        return int(text or "0", 0)
    except ValueError:
        return 0


def parse_node_device(xml: str) -> HostDevice | None:
    root = ET.fromstring(xml)
    name = root.findtext("name", "")
    cap = root.find("capability")
    if cap is None:
        return None
    kind = cap.get("type", "")
    vendor = cap.find("vendor")
    product = cap.find("product")
    vendor_id = vendor.get("id", "") if vendor is not None else ""
    product_id = product.get("id", "") if product is not None else ""
    vendor_name = (vendor.text or "").strip() if vendor is not None else ""
    product_name = (product.text or "").strip() if product is not None else ""
    if kind == "usb_device":
        return HostDevice("usb", name, vendor_id, product_id, vendor_name, product_name)
    if kind == "pci":
        domain, bus, slot, function = (
            _int(cap.findtext(part)) for part in ("domain", "bus", "slot", "function")
        )
        return HostDevice(
            "pci",
            name,
            vendor_id,
            product_id,
            vendor_name,
            product_name,
            pci_address=(domain, bus, slot, function),
        )
    return None


def hostdev_key(element: ET.Element) -> str:
    """The key of a domain's <hostdev>, comparable with ``HostDevice.key``."""
    source = element.find("source")
    if source is None:
        return ""
    if element.get("type") == "usb":
        vendor = source.find("vendor")
        product = source.find("product")
        if vendor is None or product is None:
            return ""
        return f"usb:{vendor.get('id', '').lower()}:{product.get('id', '').lower()}"
    address = source.find("address")
    if element.get("type") == "pci" and address is not None:
        parts = tuple(_int(address.get(p)) for p in ("domain", "bus", "slot", "function"))
        return f"pci:{parts}"
    return ""


def list_host_devices(conn: libvirt.virConnect) -> list[HostDevice]:
    """USB and PCI devices of the host with the domains using each (blocking)."""
    flags = (
        libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV
        | libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV
    )
    users: dict[str, list[str]] = {}
    for dom in conn.listAllDomains(0):
        try:
            root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        except libvirt.libvirtError:
            continue  # gone meanwhile
        for hostdev in root.findall("devices/hostdev"):
            key = hostdev_key(hostdev)
            if key:
                users.setdefault(key, []).append(dom.name())
    found: list[HostDevice] = []
    for device in conn.listAllDevices(flags):
        parsed = parse_node_device(device.XMLDesc(0))
        if parsed is not None:
            used = tuple(sorted(users.get(parsed.key, ())))
            found.append(replace(parsed, used_by=used))
    return sorted(found, key=lambda d: (d.kind != "usb", d.name))


__all__ = ["HostDevice", "hostdev_key", "list_host_devices", "parse_node_device"]
