"""Host facts for a connection (``virsh nodeinfo``, versions, host name)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

from kvmdesk.virt.records import HostRecord, HostUsageSample, format_version


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


def fetch_usage(conn: libvirt.virConnect) -> HostUsageSample:
    """Node CPU times and memory in use, for the host's usage graphs.

    Memory in use leaves out buffers and page cache, as ``free`` does;
    drivers without node memory statistics give total and free memory.
    """
    busy: int | None = None
    total: int | None = None
    try:
        cpu = conn.getCPUStats(libvirt.VIR_NODE_CPU_STATS_ALL_CPUS, 0)
    except libvirt.libvirtError:
        cpu = {}
    if cpu:
        idle = int(cpu.get("idle", 0)) + int(cpu.get("iowait", 0))
        total = sum(int(v) for k, v in cpu.items() if k != "utilization")
        busy = total - idle
    mem_total = mem_used = 0
    try:
        mem = conn.getMemoryStats(libvirt.VIR_NODE_MEMORY_STATS_ALL_CELLS, 0)
    except libvirt.libvirtError:
        mem = {}
    if mem.get("total"):
        mem_total = int(mem["total"])
        free = sum(int(mem.get(k, 0)) for k in ("free", "buffers", "cached"))
        mem_used = max(0, mem_total - free)
    else:
        try:
            mem_total = int(conn.getInfo()[1]) * 1024
            mem_used = max(0, mem_total - int(conn.getFreeMemory()) // 1024)
        except libvirt.libvirtError:
            mem_total = mem_used = 0
    return HostUsageSample(
        cpu_busy_ns=busy,
        cpu_total_ns=total,
        memory_total_kib=mem_total,
        memory_used_kib=mem_used,
    )


def cpu_fraction(before: HostUsageSample, after: HostUsageSample) -> float | None:
    """Share of the host's CPU time spent busy between two samples, or None."""
    if None in (before.cpu_busy_ns, before.cpu_total_ns, after.cpu_busy_ns, after.cpu_total_ns):
        return None
    assert before.cpu_busy_ns is not None and before.cpu_total_ns is not None
    assert after.cpu_busy_ns is not None and after.cpu_total_ns is not None
    total = after.cpu_total_ns - before.cpu_total_ns
    if total <= 0:
        return None
    busy = after.cpu_busy_ns - before.cpu_busy_ns
    return max(0.0, min(1.0, busy / total))
