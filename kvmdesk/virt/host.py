"""Host facts for a connection (``virsh nodeinfo``, versions, host name)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

from kvmdesk.virt.records import HostRecord, format_version


def _cpu_from_capabilities(conn: libvirt.virConnect) -> tuple[str, str]:
    """(CPU model with vendor, architecture) from the capabilities XML."""
    try:
        caps = ET.fromstring(conn.getCapabilities())
    except (libvirt.libvirtError, ET.ParseError):
        return "", ""
    model = caps.find("host/cpu/model")
    vendor = caps.find("host/cpu/vendor")
    arch = caps.find("host/cpu/arch")
    parts = [e.text.strip() for e in (vendor, model) if e is not None and e.text]
    return " ".join(parts), (arch.text or "").strip() if arch is not None else ""


def fetch_host(conn: libvirt.virConnect, with_capabilities: bool = True) -> HostRecord:
    """Node facts; the CPU model needs the capabilities XML, which some
    hypervisors take seconds to produce, so a caller may ask for it later."""
    info = conn.getInfo()  # [model, memory MiB, cpus, mhz, nodes, sockets, cores, threads]
    # getInfo's first field is the CPU model on some drivers, the architecture on others.
    model, arch = _cpu_from_capabilities(conn) if with_capabilities else ("", "")
    try:
        hv_version = int(conn.getVersion())
    except libvirt.libvirtError:
        hv_version = 0
    try:
        free_kib = int(conn.getFreeMemory()) // 1024
    except libvirt.libvirtError:
        free_kib = 0
    try:
        hostname = str(conn.getHostname())
    except libvirt.libvirtError:
        hostname = ""
    return HostRecord(
        uri=conn.getURI(),
        hostname=hostname,
        hypervisor=conn.getType(),
        hypervisor_version=format_version(hv_version),
        libvirt_version=format_version(conn.getLibVersion()),
        cpu_model=model or str(info[0]),
        arch=arch,
        cpus=int(info[2]),
        mhz=int(info[3]),
        numa_nodes=int(info[4]),
        sockets=int(info[5]),
        cores=int(info[6]),
        threads=int(info[7]),
        memory_kib=int(info[1]) * 1024,
        free_memory_kib=free_kib,
    )
