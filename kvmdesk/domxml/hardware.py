"""The parts of a definition the hardware forms edit beside ``Domain`` and its devices.

``Domain``, ``Os``, ``Disk`` and ``Interface`` own the common fields; the
settings here (vCPU topology and model, shared memory, boot menu, a disk's
discard mode and serial, a NIC's link state, per-device boot order) are
small typed views that read and update exactly their own nodes of an
element, in place, and leave everything else as it was.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from kvmdesk.domxml.domain import _memory_kib
from kvmdesk.domxml.model import DOMAIN_ORDER, OS_ORDER
from kvmdesk.domxml.nodes import (
    attr_of,
    child,
    drop,
    drop_if_empty,
    int_or_none,
    set_attr,
    set_child_attrs,
    set_text,
    text_of,
)
from kvmdesk.domxml.passthrough_devices import HostDev

# Children of <devices> a guest can boot from, by per-device <boot order>.
BOOTABLE = ("disk", "interface", "hostdev", "redirdev")


@dataclass(frozen=True)
class CpuSettings:
    """<vcpu current=...>max</vcpu> and <cpu mode><model/><topology/></cpu>."""

    current: int
    maximum: int
    mode: str = ""  # host-passthrough, host-model, custom, maximum; "" libvirt's default
    model: str = ""  # custom: a named model
    sockets: int | None = None
    cores: int | None = None
    threads: int | None = None

    @property
    def topology(self) -> tuple[int, int, int] | None:
        if self.sockets is not None and self.cores is not None and self.threads is not None:
            return (self.sockets, self.cores, self.threads)
        return None


def read_cpu(root: ET.Element) -> CpuSettings:
    maximum = int_or_none(text_of(root, "vcpu")) or 1
    current = int_or_none(attr_of(root, "vcpu", "current") or None) or maximum
    cpu = root.find("cpu")
    return CpuSettings(
        current=current,
        maximum=maximum,
        mode=cpu.get("mode", "") if cpu is not None else "",
        model=text_of(cpu, "model").strip() if cpu is not None else "",
        sockets=int_or_none(attr_of(cpu, "topology", "sockets") or None),
        cores=int_or_none(attr_of(cpu, "topology", "cores") or None),
        threads=int_or_none(attr_of(cpu, "topology", "threads") or None),
    )


def write_cpu(root: ET.Element, cpu: CpuSettings) -> None:
    """Update only what differs from what ``root`` holds now."""
    before = read_cpu(root)
    if (before.current, before.maximum) != (cpu.current, cpu.maximum):
        vcpu = child(root, "vcpu", DOMAIN_ORDER)
        vcpu.text = str(cpu.maximum)
        set_attr(vcpu, "current", cpu.current if cpu.current != cpu.maximum else None)
    if (before.mode, before.model) != (cpu.mode, cpu.model):
        node = root.find("cpu")
        if node is None and (cpu.mode or cpu.model):
            node = child(root, "cpu", DOMAIN_ORDER)
        if node is not None:
            set_attr(node, "mode", cpu.mode)
            if cpu.mode == "custom" and cpu.model:
                model = child(node, "model")
                model.text = cpu.model
                model.set("fallback", model.get("fallback", "allow"))
            else:
                drop(node, "model")
    if before.topology != cpu.topology:
        node = root.find("cpu")
        if node is None and cpu.topology:
            node = child(root, "cpu", DOMAIN_ORDER)
        if node is not None:
            if cpu.topology:
                sockets, cores, threads = cpu.topology
                set_child_attrs(node, "topology", sockets=sockets, cores=cores, threads=threads)
            else:
                drop(node, "topology")
    node = root.find("cpu")
    if node is not None and not node.attrib and len(node) == 0:
        root.remove(node)


@dataclass(frozen=True)
class MemorySettings:
    """<memory> (the maximum) and <currentMemory> (the balloon's target), in KiB."""

    current: int
    maximum: int
    shared: bool = False


def read_memory(root: ET.Element) -> MemorySettings:
    maximum = _memory_kib(root.find("memory"))
    current_node = root.find("currentMemory")
    current = _memory_kib(current_node) if current_node is not None else maximum
    return MemorySettings(current=current, maximum=maximum, shared=shared_memory(root))


def write_memory(root: ET.Element, memory: MemorySettings) -> None:
    """Amounts that did not change stay as written (their unit too)."""
    before = read_memory(root)
    for tag, old, new in (
        ("memory", before.maximum, memory.maximum),
        ("currentMemory", before.current, memory.current),
    ):
        if old != new:
            node = child(root, tag, DOMAIN_ORDER)
            node.text = str(new)
            node.set("unit", "KiB")
    set_shared_memory(root, memory.shared)


def shared_memory(root: ET.Element) -> bool:
    """<memoryBacking><access mode='shared'/>: what virtiofs needs."""
    return attr_of(root.find("memoryBacking"), "access", "mode") == "shared"


def set_shared_memory(root: ET.Element, shared: bool) -> None:
    if shared == shared_memory(root):
        return
    backing = root.find("memoryBacking")
    if shared:
        backing = backing if backing is not None else child(root, "memoryBacking", DOMAIN_ORDER)
        if backing.find("source") is None:
            set_child_attrs(backing, "source", type="memfd")
        set_child_attrs(backing, "access", mode="shared")
    elif backing is not None:
        set_child_attrs(backing, "access", mode=None)
        drop_if_empty(root, "memoryBacking")


def boot_menu(root: ET.Element) -> bool:
    return attr_of(root.find("os"), "bootmenu", "enable") == "yes"


def set_boot_menu(root: ET.Element, enabled: bool) -> None:
    if enabled == boot_menu(root):
        return
    os_node = child(root, "os", DOMAIN_ORDER)
    if enabled:
        child(os_node, "bootmenu", OS_ORDER).set("enable", "yes")
    else:
        set_child_attrs(os_node, "bootmenu", enable=None)


def bootable_devices(root: ET.Element) -> list[ET.Element]:
    devices = root.find("devices")
    return [d for d in devices if d.tag in BOOTABLE] if devices is not None else []


def device_boot_order(device: ET.Element) -> int | None:
    return int_or_none(attr_of(device, "boot", "order") or None)


def set_device_boot_order(root: ET.Element, ordered: list[ET.Element]) -> None:
    """Boot from ``ordered`` (children of <devices>), in that order, and from nothing else.

    libvirt refuses per-device boot order beside <os><boot dev>, so those go.
    """
    for device in bootable_devices(root):
        if device not in ordered:
            set_child_attrs(device, "boot", order=None)
    for number, device in enumerate(ordered, start=1):
        if device_boot_order(device) != number:
            set_child_attrs(device, "boot", order=number)
    os_node = root.find("os")
    if os_node is not None:
        drop(os_node, "boot")


def disk_discard(disk: ET.Element) -> str:
    return attr_of(disk, "driver", "discard")


def disk_serial(disk: ET.Element) -> str:
    return text_of(disk, "serial")


def set_disk_extras(disk: ET.Element, *, discard: str, serial: str) -> None:
    if disk_discard(disk) != discard:
        set_child_attrs(disk, "driver", discard=discard)
    if disk_serial(disk) != serial:
        set_text(disk, "serial", serial)


def link_up(interface: ET.Element) -> bool:
    return attr_of(interface, "link", "state") != "down"


def set_link_up(interface: ET.Element, up: bool) -> None:
    if up != link_up(interface):
        set_child_attrs(interface, "link", state=None if up else "down")


def to_text(root: ET.Element, original: str) -> str:
    """``root`` as text, with the namespace prefixes ``original`` declared.

    ElementTree names every namespace it does not know ``ns0``, ``ns1``…;
    a definition's metadata written as ``<app:note>`` keeps ``app:`` so.
    The prefix table is ElementTree's own (module-wide), restored afterwards.
    """
    pairs = [ns for _event, ns in ET.iterparse(io.StringIO(original), events=("start-ns",))]
    table: dict[str, str] = ET._namespace_map  # type: ignore[attr-defined]
    saved = dict(table)
    try:
        for prefix, uri in pairs:
            if prefix and not re.fullmatch(r"ns\d+", prefix) and uri not in saved:
                table[uri] = prefix
        return ET.tostring(root, encoding="unicode")
    finally:
        table.clear()
        table.update(saved)


__all__ = [
    "BOOTABLE",
    "CpuSettings",
    "MemorySettings",
    "boot_menu",
    "bootable_devices",
    "device_boot_order",
    "disk_discard",
    "disk_serial",
    "firmware",
    "link_up",
    "pci_hostdev",
    "read_cpu",
    "read_memory",
    "set_boot_menu",
    "set_device_boot_order",
    "set_disk_extras",
    "set_firmware",
    "set_link_up",
    "set_shared_memory",
    "shared_memory",
    "to_text",
    "usb_hostdev",
    "write_cpu",
    "write_memory",
]


def firmware(root: ET.Element) -> tuple[bool, bool]:
    """(UEFI, Secure Boot) as the definition says: auto-selected or a pflash loader."""
    os_node = root.find("os")
    if os_node is None:
        return False, False
    loader = os_node.find("loader")
    efi = os_node.get("firmware") == "efi" or (
        loader is not None and loader.get("type") == "pflash"
    )
    secure = (loader is not None and loader.get("secure") == "yes") or (
        os_node.find("firmware/feature[@name='secure-boot'][@enabled='yes']") is not None
    )
    return efi, efi and secure


def set_firmware(root: ET.Element, efi: bool, secure: bool) -> None:
    """Let libvirt pick BIOS, or UEFI with or without Secure Boot (firmware auto-selection).

    The loader and NVRAM paths go: libvirt chooses the files that match. Secure
    Boot needs SMM, which is switched on.
    """
    if firmware(root) == (efi, efi and secure):
        return
    os_node = child(root, "os", DOMAIN_ORDER)
    for tag in ("loader", "nvram", "firmware"):
        drop(os_node, tag)
    set_attr(os_node, "firmware", "efi" if efi else None)
    if not efi:
        return
    features = child(os_node, "firmware", OS_ORDER)
    for name in ("enrolled-keys", "secure-boot"):
        ET.SubElement(features, "feature", enabled="yes" if secure else "no", name=name)
    if secure:
        domain_features = child(root, "features", DOMAIN_ORDER)
        set_child_attrs(domain_features, "smm", state="on")


def usb_hostdev(vendor_id: str, product_id: str) -> ET.Element:
    """<hostdev> passing through the host's USB device of these ids."""
    return HostDev(vendor_id=vendor_id, product_id=product_id).to_element()


def pci_hostdev(domain: int, bus: int, slot: int, function: int) -> ET.Element:
    """<hostdev> passing through the host's PCI device at this address."""
    return HostDev.pci(domain, bus, slot, function).to_element()
