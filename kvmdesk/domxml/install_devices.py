"""The devices of a new VM, from the wizard's plan and the defaults table.

Disks and CD-ROMs on the bus the table chose (virtio where the OS has
drivers, SATA on q35, IDE otherwise), the network card, USB and PCIe
controllers, a serial console, the guest agent channel, a tablet, VNC on
127.0.0.1 (so the viewer works at once, and only from this host), the
video card, a TPM, the memory balloon and the RNG, each where the table
says so.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from kvmdesk.domxml.devices import (
    Channel,
    Console,
    Controller,
    Device,
    Disk,
    Graphics,
    Input,
    Interface,
    Rng,
    Serial,
    Tpm,
    UnknownDevice,
    Video,
)
from kvmdesk.domxml.guest_defaults import Defaults, Topic
from kvmdesk.domxml.install_plan import InstallPlan, NetworkKind, SourceKind, StorageKind
from kvmdesk.domxml.install_platform import usb_controllers

_PREFIX = {"virtio": "vd", "ide": "hd"}  # sata, scsi, usb: sd


@dataclass
class DeviceSet:
    devices: list[Device] = field(default_factory=list)
    install_cdrom: str = ""  # the target of the CD-ROM holding the install media


class _Targets:
    """Next free target name per bus: vda, vdb ... / sda, sdb ... / hda ..."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def next(self, bus: str) -> str:
        prefix = _PREFIX.get(bus, "sd")
        index = self._used.get(prefix, 0)
        self._used[prefix] = index + 1
        return prefix + "abcdefghijklmnopqrstuvwxyz"[index]


def _driver(fmt: str, discard: bool, block: bool) -> ET.Element:
    """<driver> with what ``Disk`` does not model: discard, and native I/O for a block device."""
    attrs = {"name": "qemu", "type": fmt}
    if block:
        attrs["io"] = "native"
    if discard:
        attrs["discard"] = "unmap"
    element = ET.Element("disk")
    ET.SubElement(element, "driver", attrs)
    return element


def _main_disk(plan: InstallPlan, defaults: Defaults, targets: _Targets) -> Disk | None:
    bus = defaults.value(Topic.DISK_BUS)
    discard = defaults.value(Topic.DISCARD) == "unmap"
    if plan.storage is StorageKind.NEW and plan.source is not SourceKind.IMPORT:
        return Disk(
            type="volume",
            device="disk",
            pool=plan.pool,
            volume=plan.volume,
            driver_type=plan.disk_format,
            target_dev=targets.next(bus),
            target_bus=bus,
            element=_driver(plan.disk_format, discard, False),
        )
    path = plan.disk_source
    if not path:
        return None
    fmt = (plan.media_format if plan.source is SourceKind.IMPORT else plan.disk_format) or "raw"
    block = plan.source_type(path) == "block"
    return Disk(
        source=path,
        type=plan.source_type(path),
        device="disk",
        driver_type=fmt,
        driver_cache="none" if block else "",
        target_dev=targets.next(bus),
        target_bus=bus,
        element=_driver(fmt, discard, block),
    )


def _cdrom(path: str, bus: str, targets: _Targets, plan: InstallPlan) -> Disk:
    return Disk(
        source=path,
        type=plan.source_type(path),
        device="cdrom",
        driver_type="raw",
        target_dev=targets.next(bus),
        target_bus=bus,
        readonly=True,
    )


def _interface(plan: InstallPlan, model: str) -> Interface | None:
    if plan.network is NetworkKind.NONE:
        return None
    return Interface(
        type=plan.network.value,
        source="" if plan.network is NetworkKind.USER else plan.network_source,
        source_mode="bridge" if plan.network is NetworkKind.DIRECT else "",
        mac=plan.mac,
        model=model,
    )


def _controllers(defaults: Defaults) -> list[Device]:
    found: list[Device] = []
    for element in usb_controllers(defaults.value(Topic.USB)):
        found.append(Controller(type="usb", model=element.get("model", ""), element=element))
    ports = int(defaults.value(Topic.PCIE_PORTS) or 0)
    if ports:
        found.append(Controller(type="pci", model="pcie-root"))
        found += [Controller(type="pci", model="pcie-root-port") for _ in range(ports)]
    return found


def build_devices(plan: InstallPlan, defaults: Defaults) -> DeviceSet:
    targets = _Targets()
    result = DeviceSet()
    devices = result.devices
    disk = _main_disk(plan, defaults, targets)
    if disk is not None:
        devices.append(disk)
    cdrom_bus = defaults.value(Topic.CDROM_BUS)
    if plan.install_media:
        cdrom = _cdrom(plan.install_media, cdrom_bus, targets, plan)
        result.install_cdrom = cdrom.target_dev
        devices.append(cdrom)
    if plan.virtio_win:
        devices.append(_cdrom(plan.virtio_win, cdrom_bus, targets, plan))
    devices += _controllers(defaults)
    nic = _interface(plan, defaults.value(Topic.NIC))
    if nic is not None:
        devices.append(nic)
    devices += [
        Serial(type="pty", target_port=0),
        Console(type="pty", target_type="serial", target_port=0),
    ]
    if defaults.on(Topic.AGENT):
        devices.append(Channel(type="unix", source_mode="bind", target_type="virtio"))
    if defaults.on(Topic.TABLET):
        devices.append(Input(type="tablet", bus=defaults.value(Topic.TABLET)))
    if plan.graphics != "none":  # without: the serial console only, no video card
        devices += [
            Graphics(type=plan.graphics or "vnc", autoport=True, listen="127.0.0.1"),
            Video(model=defaults.value(Topic.VIDEO)),
        ]
    if defaults.on(Topic.TPM):
        devices.append(
            Tpm(model="tpm-crb", backend_type="emulator", backend_version=defaults.value(Topic.TPM))
        )
    balloon = ET.Element("memballoon", {"model": defaults.value(Topic.BALLOON)})
    devices.append(UnknownDevice(xml=ET.tostring(balloon, encoding="unicode")))
    if defaults.on(Topic.RNG):
        devices.append(Rng(model="virtio", backend_model="random", backend="/dev/urandom"))
    return result


__all__ = ["DeviceSet", "build_devices"]
