"""Bulk statistics: one ``getAllDomainStats`` per connection per tick.

The tick always asks for the CPU time (the list's CPU column) unless the
user switched CPU off; memory, disk and network counters are asked for in
the same call only while something shows them (the Performance tab, a
sparkline column), and only those the user chose in Preferences.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import libvirt

from kvmdesk.virt.records import CpuSample, StatsSnapshot

CPU, MEMORY, DISK, NETWORK = "cpu", "memory", "disk", "network"
ALL_METRICS = frozenset({CPU, MEMORY, DISK, NETWORK})
_FLAGS = {
    CPU: libvirt.VIR_DOMAIN_STATS_CPU_TOTAL | libvirt.VIR_DOMAIN_STATS_VCPU,
    MEMORY: libvirt.VIR_DOMAIN_STATS_BALLOON,
    DISK: libvirt.VIR_DOMAIN_STATS_BLOCK,
    NETWORK: libvirt.VIR_DOMAIN_STATS_INTERFACE,
}
_ACTIVE = libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE
# A tick's loops over thousands of domains pause this long after each chunk.
_CHUNK = 256
_PAUSE_S = 0.0002

T = TypeVar("T")


def _breathing(items: Iterable[T]) -> Iterator[T]:
    """``items``, with a pause after every ``_CHUNK`` of them that leaves
    the GIL to the GUI thread.

    A tick at 10,000 domains runs Python for tens of milliseconds; a thread
    asking for the GIL meanwhile waits for a switch interval (the app sets
    1 ms) each time, and the libvirt call per domain of an in-process driver drops and
    retakes the GIL so often that the GUI thread, woken each time, rarely
    wins it.  A short sleep per chunk bounds that wait to one chunk's work.
    """
    for n, item in enumerate(items, 1):
        yield item
        if not n % _CHUNK:
            time.sleep(_PAUSE_S)


def _sum(values: dict[str, object], group: str, field: str) -> int | None:
    """``block.0.rd.bytes + block.1.rd.bytes + …``; None when none is reported."""
    count = values.get(f"{group}.count")
    if not isinstance(count, int):
        return None
    found = [values.get(f"{group}.{i}.{field}") for i in range(count)]
    numbers = [int(v) for v in found if isinstance(v, int)]
    return sum(numbers) if numbers or not count else None  # no devices: 0


def _memory_kib(values: dict[str, object]) -> int | None:
    """What the guest uses: available - unused when the guest says, else the balloon."""
    available, unused = values.get("balloon.available"), values.get("balloon.unused")
    if isinstance(available, int) and isinstance(unused, int) and available >= unused:
        return available - unused
    current = values.get("balloon.current")
    return int(current) if isinstance(current, int) else None


def _in_process(dom: libvirt.virDomain, values: dict[str, object], wanted: Collection[str]) -> None:
    """Fill in what the test driver leaves out of bulk stats, asking the domain."""
    if CPU in wanted and ("cpu.time" not in values or "vcpu.current" not in values):
        info = dom.info()
        values.setdefault("cpu.time", info[4])
        values.setdefault("vcpu.current", info[3])
    if MEMORY in wanted and "balloon.current" not in values:
        mem = dom.memoryStats()
        values.setdefault("balloon.current", mem.get("actual", dom.info()[2]))
        if "available" in mem and "unused" in mem:
            values.setdefault("balloon.available", mem["available"])
            values.setdefault("balloon.unused", mem["unused"])
    want_disks = DISK in wanted and "block.count" not in values
    want_nics = NETWORK in wanted and "net.count" not in values
    if want_disks or want_nics:
        devices = ET.fromstring(dom.XMLDesc(0)).find("devices")
        disks = [t.get("dev", "") for t in devices.findall("disk/target")] if devices else []
        nics = [t.get("dev", "") for t in devices.findall("interface/target")] if devices else []
        if want_disks:
            values["block.count"] = len(disks)
            for i, dev in enumerate(disks):
                stats = dom.blockStats(dev)
                values[f"block.{i}.rd.bytes"], values[f"block.{i}.wr.bytes"] = stats[1], stats[3]
        if want_nics:
            values["net.count"] = len(nics)
            for i, dev in enumerate(nics):
                stats = dom.interfaceStats(dev)
                values[f"net.{i}.rx.bytes"], values[f"net.{i}.tx.bytes"] = stats[0], stats[4]


class RunningById:
    """An in-process driver's running domains by ID, kept from tick to tick.

    Listing them anew made (and freed) a domain object per running domain
    every tick; IDs are handed out once per start, so a known ID is the same
    running domain, and only new ones are looked up.  Many new ones (the
    first tick, a burst of starts) come from one listing of the running
    domains instead: the test driver finds a domain by ID by walking all of
    them, and 5,000 lookups among 10,000 domains took 4-6 s of the worker's
    CPU, handing the GIL back and forth with the GUI thread all along.
    """

    def __init__(self, lookups: int = 32) -> None:
        self._known: dict[int, tuple[libvirt.virDomain, str]] = {}
        self._lookups = lookups  # new IDs looked up one by one; more: one listing
        self._ids: list[int] = []
        self._running: list[tuple[libvirt.virDomain, str]] = []

    def running(self, conn: libvirt.virConnect) -> list[tuple[libvirt.virDomain, str]]:
        """(domain, UUID) of every running domain (not to be changed: the
        next call may return the same list)."""
        ids = conn.listDomainsID()
        if ids == self._ids:  # an idle host: no Python per domain
            return self._running
        old = self._known
        new = [i for i in ids if i not in old]
        listed: dict[int, tuple[libvirt.virDomain, str]] = {}
        if len(new) > self._lookups:
            active = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)
            listed = {dom.ID(): (dom, dom.UUIDString()) for dom in active}
        known: dict[int, tuple[libvirt.virDomain, str]] = {}
        for domain_id in ids:
            entry = old.get(domain_id) or listed.get(domain_id)
            if entry is None:
                try:
                    dom = conn.lookupByID(domain_id)
                except libvirt.libvirtError:
                    continue  # stopped since the listing
                entry = (dom, dom.UUIDString())
            known[domain_id] = entry
        self._known = known
        self._ids, self._running = ids, list(known.values())
        return self._running


def sample(
    conn: libvirt.virConnect,
    in_process: bool = False,
    metrics: Collection[str] = (CPU,),
    running: RunningById | None = None,
) -> StatsSnapshot:
    """The counters ``metrics`` names of every running domain, in one call.

    ``in_process`` marks a driver that runs inside this process (the test
    driver): it reports nothing in bulk stats, and asking each domain
    costs no round trip there, so only then are the domains asked one by one
    (the CPU tick keeps them in ``running`` between calls).
    """
    taken = time.monotonic()
    flags = 0
    for metric in metrics:
        flags |= _FLAGS.get(metric, 0)
    if not flags:
        return StatsSnapshot(taken_at=taken)
    if set(metrics) == {CPU} and in_process:  # the list's tick, every few seconds
        return StatsSnapshot(taken, _cpu_in_process(conn, running or RunningById()))
    if set(metrics) == {CPU}:
        return StatsSnapshot(taken, _cpu_only(conn, flags))
    samples: dict[str, CpuSample] = {}
    for dom, values in _breathing(conn.getAllDomainStats(flags, _ACTIVE)):
        if in_process:
            _in_process(dom, values, metrics)
        cpu = values.get("cpu.time") if CPU in metrics else None
        vcpus = values.get("vcpu.current")
        counters = CpuSample(
            cpu_time_ns=int(cpu) if cpu is not None else None,
            vcpus=max(1, int(vcpus or 1)),
            memory_kib=_memory_kib(values) if MEMORY in metrics else None,
            disk_read=_sum(values, "block", "rd.bytes") if DISK in metrics else None,
            disk_write=_sum(values, "block", "wr.bytes") if DISK in metrics else None,
            net_rx=_sum(values, "net", "rx.bytes") if NETWORK in metrics else None,
            net_tx=_sum(values, "net", "tx.bytes") if NETWORK in metrics else None,
        )
        if counters != CpuSample(None, counters.vcpus):  # something was reported
            samples[dom.UUIDString()] = counters
    return StatsSnapshot(taken_at=taken, samples=samples)


def _cpu_in_process(conn: libvirt.virConnect, running: RunningById) -> dict[str, CpuSample]:
    """The test driver's bulk stats leave the CPU out: ask each running domain
    (no round trip), with as little Python per domain as possible."""
    samples: dict[str, CpuSample] = {}
    for dom, uuid in _breathing(running.running(conn)):
        try:
            info = dom.info()
        except libvirt.libvirtError:
            continue  # gone since the listing
        samples[uuid] = CpuSample(int(info[4]), max(1, int(info[3] or 1)))
    return samples


def _cpu_only(conn: libvirt.virConnect, flags: int) -> dict[str, CpuSample]:
    """CPU time and vCPUs of every running domain, with as little Python per
    domain as possible: at 10,000 domains each microsecond here is 10 ms."""
    samples: dict[str, CpuSample] = {}
    for dom, values in _breathing(conn.getAllDomainStats(flags, _ACTIVE)):
        cpu = values.get("cpu.time")
        if cpu is not None:
            vcpus = values.get("vcpu.current")
            samples[dom.UUIDString()] = CpuSample(int(cpu), max(1, int(vcpus or 1)))
    return samples


class CpuFigures(dict[str, float]):
    """CPU % by domain UUID from one tick, with what a list must repaint.

    ``whole`` holds each figure as the list shows it (a whole percentage);
    ``changed`` names the domains whose whole percentage differs from the
    tick before (the new figure, or None for a domain no longer measured),
    or is None when there was no tick before to compare with.  Both are
    worked out in the worker: comparing 10,000 figures on the GUI thread
    each tick took milliseconds in one piece.
    """

    __slots__ = ("changed", "whole")

    def __init__(
        self,
        figures: Mapping[str, float] | None = None,
        before: Mapping[str, int] | None = None,
        forget: Collection[str] = (),
    ) -> None:
        """``before``: the last tick's ``whole``; ``forget``: domains whose
        figure a list dropped since then (they count as changed)."""
        super().__init__(figures or {})
        self.whole: dict[str, int] = {u: round(c) for u, c in self.items()}
        if before is None:
            self.changed: dict[str, float | None] | None = None
            return
        whole = self.whole
        changed: dict[str, float | None] = {
            u: self[u] for u, p in whole.items() if before.get(u) != p
        }
        changed.update((u, None) for u in before if u not in whole)
        for uuid in forget:
            if uuid not in changed:
                changed[uuid] = self.get(uuid)
        self.changed = changed


def sample_cpu(
    conn: libvirt.virConnect,
    previous: StatsSnapshot | None,
    in_process: bool = False,
    metrics: Collection[str] = (CPU,),
    running: RunningById | None = None,
    before: Mapping[str, int] | None = None,
    forget: Collection[str] = (),
) -> tuple[StatsSnapshot, CpuFigures]:
    """``sample``, and the CPU use since ``previous`` (none without one),
    compared with ``before`` (see ``CpuFigures``): all in the worker, not
    on the GUI thread, at 10,000 domains."""
    current = sample(conn, in_process, metrics, running)
    if previous is None:
        return current, CpuFigures()
    return current, CpuFigures(cpu_percent(previous, current), before, forget)


def cpu_percent(previous: StatsSnapshot, current: StatsSnapshot) -> dict[str, float]:
    """Guest CPU use per domain, 0-100 % of its vCPUs, from two snapshots."""
    wall_ns = (current.taken_at - previous.taken_at) * 1e9
    if wall_ns <= 0:
        return {}
    result: dict[str, float] = {}
    for uuid, now in current.samples.items():
        before = previous.samples.get(uuid)
        if before is None or now.cpu_time_ns is None or before.cpu_time_ns is None:
            continue
        if now.cpu_time_ns < before.cpu_time_ns:
            continue
        used = (now.cpu_time_ns - before.cpu_time_ns) / (wall_ns * now.vcpus) * 100.0
        result[uuid] = max(0.0, min(100.0, used))
    return result


@dataclass(frozen=True, slots=True)
class Usage:
    """One domain between two ticks: CPU %, memory in KiB, bytes per second.

    None where the counter was not sampled (or went backwards: a restart)."""

    cpu: float | None = None
    memory_kib: int | None = None
    disk_read: float | None = None
    disk_write: float | None = None
    net_rx: float | None = None
    net_tx: float | None = None


def _rate(before: int | None, now: int | None, seconds: float) -> float | None:
    if before is None or now is None or now < before or seconds <= 0:
        return None
    return (now - before) / seconds


def usage(previous: StatsSnapshot, current: StatsSnapshot) -> dict[str, Usage]:
    """Every metric of every domain sampled in both snapshots."""
    seconds = current.taken_at - previous.taken_at
    cpu = cpu_percent(previous, current)
    result: dict[str, Usage] = {}
    for uuid, now in current.samples.items():
        before = previous.samples.get(uuid)
        if before is None:
            continue
        result[uuid] = Usage(
            cpu=cpu.get(uuid),
            memory_kib=now.memory_kib,
            disk_read=_rate(before.disk_read, now.disk_read, seconds),
            disk_write=_rate(before.disk_write, now.disk_write, seconds),
            net_rx=_rate(before.net_rx, now.net_rx, seconds),
            net_tx=_rate(before.net_tx, now.net_tx, seconds),
        )
    return result
