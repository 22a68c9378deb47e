"""Checks of what the hardware forms collected, before anything is sent.

Refusals are ``PlanInputError`` (as the New VM wizard's), so one wording
serves both: ``field`` "vcpus", "memory", "topology", "mac", "path", "bus";
reasons as there, plus "above_max" (the current amount above the maximum),
"mismatch" (sockets × cores × threads is not the maximum vCPUs),
"multicast" (a MAC whose first octet is odd), "unsupported" (a bus the
machine type does not offer).

``mac_users`` and the disk judge (``disk_paths.judge_disk_path``) ask the
host, on the worker: another VM with the same MAC or disk is a warning,
named, not a refusal.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import libvirt

from kvmdesk.domxml.hardware import CpuSettings, MemorySettings
from kvmdesk.virt.hardware_offer import HostOffer
from kvmdesk.virt.plan_input import PlanInputError, check_path_text

_MAC = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")


def _count(field: str, value: int, limit: int) -> None:
    if value < 0:
        raise PlanInputError(field, "negative", str(value))
    if value == 0:
        raise PlanInputError(field, "zero", "0")
    if limit and value > limit:
        raise PlanInputError(field, "above", str(value), limit)


def check_cpu(cpu: CpuSettings, offer: HostOffer) -> None:
    _count("vcpus", cpu.maximum, offer.max_vcpus)
    _count("vcpus", cpu.current, offer.max_vcpus)
    if cpu.current > cpu.maximum:
        raise PlanInputError("vcpus", "above_max", str(cpu.current), cpu.maximum)
    topology = cpu.topology
    if topology is not None:
        for part in topology:
            _count("topology", part, 0)
        sockets, cores, threads = topology
        if sockets * cores * threads != cpu.maximum:
            raise PlanInputError(
                "topology", "mismatch", f"{sockets} × {cores} × {threads}", cpu.maximum
            )


def check_memory(memory: MemorySettings, offer: HostOffer) -> None:
    """Amounts in KiB; ``limit`` of an "above" refusal in MiB."""
    limit_mib = offer.host_memory_kib // 1024
    for value in (memory.maximum, memory.current):
        if value < 0:
            raise PlanInputError("memory", "negative", str(value))
        if value == 0:
            raise PlanInputError("memory", "zero", "0")
        if offer.host_memory_kib and value > offer.host_memory_kib:
            raise PlanInputError("memory", "above", str(value // 1024), limit_mib)
    if memory.current > memory.maximum:
        raise PlanInputError(
            "memory", "above_max", str(memory.current // 1024), memory.maximum // 1024
        )


def check_mac(mac: str) -> str:
    """The MAC, lower case; "" lets libvirt choose one."""
    mac = mac.strip().lower()
    if not mac:
        return ""
    if not _MAC.match(mac):
        raise PlanInputError("mac", "invalid", mac)
    if int(mac[:2], 16) & 1:
        raise PlanInputError("mac", "multicast", mac)
    return mac


def check_disk_path(path: str) -> str:
    """Absolute, no "..", no newline, NUL or other control character."""
    return check_path_text(path)


def check_bus(bus: str, offer: HostOffer) -> None:
    if bus and bus not in offer.disk_buses:
        raise PlanInputError("bus", "unsupported", bus)


def mac_users(conn: libvirt.virConnect, mac: str, uuid: str) -> list[str]:
    """Names of the other domains with a NIC of this MAC (blocking)."""
    mac = mac.lower()
    names: list[str] = []
    for dom in conn.listAllDomains(0):
        if dom.UUIDString() == uuid:
            continue
        try:
            root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        except libvirt.libvirtError:
            continue  # gone meanwhile
        for node in root.findall("devices/interface/mac"):
            if node.get("address", "").lower() == mac:
                names.append(dom.name())
                break
    return names


__all__ = [
    "PlanInputError",
    "check_bus",
    "check_cpu",
    "check_disk_path",
    "check_mac",
    "check_memory",
    "mac_users",
]
