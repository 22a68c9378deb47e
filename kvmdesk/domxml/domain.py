"""Read the parts of a domain definition that kvmdesk shows and acts on.

Parsing is read-only here; building new definitions comes with the
create wizard. ElementTree from the standard library is enough for XML
that libvirt itself produced.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Disk:
    device: str  # disk, cdrom, floppy, lun
    target: str  # vda, sda, hdc ...
    source: str  # file path, block device, "pool/volume" or "" when empty
    source_kind: str  # file, block, volume, network, dir or ""
    driver_format: str  # qcow2, raw, ... or ""
    readonly: bool
    shareable: bool
    pool: str = ""
    volume: str = ""


@dataclass(frozen=True, slots=True)
class Interface:
    kind: str  # network, bridge, direct, user, ...
    mac: str
    source: str
    model: str


@dataclass(frozen=True, slots=True)
class DomainConfig:
    name: str
    uuid: str
    domain_type: str
    os_type: str
    arch: str
    machine: str
    vcpus: int
    memory_kib: int
    title: str
    description: str
    disks: tuple[Disk, ...]
    interfaces: tuple[Interface, ...]
    has_nvram: bool


def _text(node: ET.Element | None, default: str = "", strip: bool = True) -> str:
    if node is None or node.text is None:
        return default
    return node.text.strip() if strip else node.text


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)
    except ValueError:
        return default


def _memory_kib(elem: ET.Element | None) -> int:
    if elem is None:
        return 0
    value = _int(_text(elem))
    factor = {
        "b": 1 / 1024,
        "bytes": 1 / 1024,
        "k": 1,
        "kib": 1,
        "kb": 1000 / 1024,
        "m": 1024,
        "mib": 1024,
        "mb": 1000**2 / 1024,
        "g": 1024**2,
        "gib": 1024**2,
        "gb": 1000**3 / 1024,
        "t": 1024**3,
        "tib": 1024**3,
        "tb": 1000**4 / 1024,
        "p": 1024**4,
        "pib": 1024**4,
        "pb": 1000**5 / 1024,
        "e": 1024**5,
        "eib": 1024**5,
        "eb": 1000**6 / 1024,
    }.get(elem.get("unit", "KiB").lower(), 1)
    return int(value * factor)


def _disk(elem: ET.Element) -> Disk:
    source = elem.find("source")
    kind = elem.get("type", "")
    path = ""
    pool = volume = ""
    if source is not None:
        if kind == "volume":
            pool = source.get("pool", "")
            volume = source.get("volume", "")
            path = f"{pool}/{volume}" if pool or volume else ""
        elif kind == "network":
            path = source.get("name", "") or source.get("protocol", "")
        else:
            path = source.get("file") or source.get("dev") or source.get("dir") or ""
    target = elem.find("target")
    driver = elem.find("driver")
    return Disk(
        device=elem.get("device", "disk"),
        target=target.get("dev", "") if target is not None else "",
        source=path,
        source_kind=kind,
        driver_format=driver.get("type", "") if driver is not None else "",
        readonly=elem.find("readonly") is not None,
        shareable=elem.find("shareable") is not None,
        pool=pool,
        volume=volume,
    )


def _interface(elem: ET.Element) -> Interface:
    mac = elem.find("mac")
    source = elem.find("source")
    model = elem.find("model")
    src = ""
    if source is not None:
        src = (
            source.get("network")
            or source.get("bridge")
            or source.get("dev")
            or source.get("address")
            or ""
        )
    return Interface(
        kind=elem.get("type", ""),
        mac=mac.get("address", "") if mac is not None else "",
        source=src,
        model=model.get("type", "") if model is not None else "",
    )


def parse_domain(xml: str) -> DomainConfig:
    """Parse a domain definition as returned by ``virDomainGetXMLDesc``."""
    root = ET.fromstring(xml)
    os_type = root.find("os/type")
    devices = root.find("devices")
    disks: tuple[Disk, ...] = ()
    nics: tuple[Interface, ...] = ()
    if devices is not None:
        disks = tuple(_disk(d) for d in devices.findall("disk"))
        nics = tuple(_interface(i) for i in devices.findall("interface"))
    vcpu = root.find("vcpu")
    current_vcpus = vcpu.get("current") if vcpu is not None else None
    mem = root.find("currentMemory")
    if mem is None:
        mem = root.find("memory")
    return DomainConfig(
        name=_text(root.find("name"), strip=False),  # names may end in a space
        uuid=_text(root.find("uuid")),
        domain_type=root.get("type", ""),
        os_type=_text(os_type),
        arch=os_type.get("arch", "") if os_type is not None else "",
        machine=os_type.get("machine", "") if os_type is not None else "",
        vcpus=_int(current_vcpus or _text(vcpu), 0),
        memory_kib=_memory_kib(mem),
        title=_text(root.find("title")),
        description=_text(root.find("description")),
        disks=disks,
        interfaces=nics,
        has_nvram=root.find("os/nvram") is not None,
    )
