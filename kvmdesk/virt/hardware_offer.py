"""What the host offers a domain's hardware forms: limits, CPU models, buses, networks.

From the domain capabilities of the domain's own virt type, architecture
and machine (``getDomainCapabilities``), the node's size (``getInfo``) and
the host's virtual networks. Drivers without domain capabilities (the test
driver) get the node's CPU count as the vCPU limit, no named CPU models and
the buses libvirt knows for disks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

import libvirt

from kvmdesk.virt.domcaps import firmware_info, parse_domain_capabilities

ALL_DISK_BUSES = ("virtio", "sata", "scsi", "ide", "usb")


@dataclass(frozen=True)
class HostOffer:
    host_cpus: int
    host_memory_kib: int
    max_vcpus: int  # for this domain's type and machine, at most the host's CPUs
    cpu_modes: tuple[str, ...] = ("host-passthrough", "host-model")
    cpu_models: tuple[str, ...] = ()  # usable named models
    disk_buses: tuple[str, ...] = ALL_DISK_BUSES
    uefi: bool = False
    secure_boot: bool = False
    tpm_emulator: bool = False  # swtpm installed: an emulated TPM 2.0 can be added
    networks: tuple[str, ...] = ()


def parse_offer_caps(xml: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(CPU modes, usable named CPU models, disk buses) from domain capabilities."""
    root = ET.fromstring(xml)
    modes = tuple(
        str(mode.get("name"))
        for mode in root.findall("cpu/mode")
        if mode.get("supported") == "yes" and mode.get("name") != "custom"
    )
    models = tuple(
        sorted(
            (node.text or "").strip()
            for node in root.findall("cpu/mode[@name='custom']/model")
            if node.get("usable") == "yes" and (node.text or "").strip()
        )
    )
    buses = tuple(
        (value.text or "").strip()
        for value in root.findall("devices/disk/enum[@name='bus']/value")
        if (value.text or "").strip()
    )
    return modes, models, buses


def host_offer(conn: libvirt.virConnect, domain_xml: str) -> HostOffer:
    """Blocking: a few calls (node info, domain capabilities, networks), once per load."""
    root = ET.fromstring(domain_xml)
    virt_type = root.get("type", "")
    type_node = root.find("os/type")
    arch = type_node.get("arch", "") if type_node is not None else ""
    machine = type_node.get("machine", "") if type_node is not None else ""
    info = conn.getInfo()
    modes: tuple[str, ...] = ("host-passthrough", "host-model")
    models: tuple[str, ...] = ()
    buses: tuple[str, ...] = ALL_DISK_BUSES
    try:  # one call for the limits, firmware, CPU models and buses
        caps = conn.getDomainCapabilities(None, arch or None, machine or None, virt_type or None)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
            raise
        firmware = firmware_info(conn, virt_type, arch, machine)  # the driver's fallback
    else:
        firmware = parse_domain_capabilities(caps, int(info[2]))
        found_modes, models, found_buses = parse_offer_caps(caps)
        modes = found_modes or modes
        buses = found_buses or buses
    try:
        networks = tuple(
            sorted(str(name) for name in conn.listNetworks() + conn.listDefinedNetworks())
        )
    except libvirt.libvirtError:
        networks = ()
    return HostOffer(
        host_cpus=int(info[2]),
        host_memory_kib=int(info[1]) * 1024,
        max_vcpus=min(firmware.max_vcpus, int(info[2])) or int(info[2]),
        cpu_modes=modes,
        cpu_models=models,
        disk_buses=buses,
        uefi=firmware.uefi,
        secure_boot=firmware.secure_boot,
        tpm_emulator=firmware.tpm_emulator,
        networks=networks,
    )


__all__ = ["ALL_DISK_BUSES", "HostOffer", "host_offer", "parse_offer_caps"]
