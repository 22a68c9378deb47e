"""Bulk CPU statistics: one ``getAllDomainStats`` per connection per tick."""

from __future__ import annotations

import time

import libvirt

from kvmdesk.virt.records import CpuSample, StatsSnapshot

_FLAGS = libvirt.VIR_DOMAIN_STATS_CPU_TOTAL | libvirt.VIR_DOMAIN_STATS_VCPU
_ACTIVE = libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE


def sample(conn: libvirt.virConnect, in_process: bool = False) -> StatsSnapshot:
    """CPU time of every running domain.

    ``in_process`` marks a driver that runs inside this process (the test
    driver): it reports no ``cpu.time`` in bulk stats, and asking each domain
    costs no round trip there, so only then is ``info()`` used as a fallback.
    """
    taken = time.monotonic()
    samples: dict[str, CpuSample] = {}
    for dom, values in conn.getAllDomainStats(_FLAGS, _ACTIVE):
        cpu = values.get("cpu.time")
        vcpus = values.get("vcpu.current")
        if (cpu is None or vcpus is None) and in_process:
            info = dom.info()
            cpu = info[4] if cpu is None else cpu
            vcpus = info[3] if vcpus is None else vcpus
        if cpu is None:
            continue
        samples[dom.UUIDString()] = CpuSample(cpu_time_ns=int(cpu), vcpus=max(1, int(vcpus or 1)))
    return StatsSnapshot(taken_at=taken, samples=samples)


def cpu_percent(previous: StatsSnapshot, current: StatsSnapshot) -> dict[str, float]:
    """Guest CPU use per domain, 0-100 % of its vCPUs, from two snapshots."""
    wall_ns = (current.taken_at - previous.taken_at) * 1e9
    if wall_ns <= 0:
        return {}
    result: dict[str, float] = {}
    for uuid, now in current.samples.items():
        before = previous.samples.get(uuid)
        if before is None or now.cpu_time_ns < before.cpu_time_ns:
            continue
        used = (now.cpu_time_ns - before.cpu_time_ns) / (wall_ns * now.vcpus) * 100.0
        result[uuid] = max(0.0, min(100.0, used))
    return result
