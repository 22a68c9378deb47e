"""Frozen records handed from worker threads to the GUI thread.

A record is a snapshot: it is built in a worker from libvirt answers and
never changes afterwards, so the GUI can read it without locks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple

import libvirt

from kvmdesk.domxml.domain import Disk, Interface


class DomainState(enum.IntEnum):
    """libvirt's virDomainState, plus SAVED for "shut off with a managed save" and
    SAVED_TO_FILE for "shut off by a save to a file" (``virsh save``)."""

    NOSTATE = 0
    RUNNING = 1
    BLOCKED = 2
    PAUSED = 3
    SHUTDOWN = 4  # shutting down
    SHUTOFF = 5
    CRASHED = 6
    PMSUSPENDED = 7
    SAVED = 100
    SAVED_TO_FILE = 101

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_STATES


ACTIVE_STATES = frozenset(
    {
        DomainState.RUNNING,
        DomainState.BLOCKED,
        DomainState.PAUSED,
        DomainState.SHUTDOWN,
        DomainState.PMSUSPENDED,
        DomainState.CRASHED,
    }
)


def state_from_libvirt(state: int, has_managed_save: bool, reason: int = 0) -> DomainState:
    try:
        value = DomainState(state)
    except ValueError:
        value = DomainState.NOSTATE
    if value in (DomainState.SHUTOFF, DomainState.NOSTATE) and has_managed_save:
        return DomainState.SAVED
    if value is DomainState.SHUTOFF and reason == libvirt.VIR_DOMAIN_SHUTOFF_SAVED:
        return DomainState.SAVED_TO_FILE
    return value


@dataclass(frozen=True, slots=True)
class DomainRecord:
    """What the tree shows for one domain."""

    uuid: str
    name: str
    state: DomainState
    reason: int
    vcpus: int
    memory_kib: int
    persistent: bool = True
    autostart: bool = False
    managed_save: bool = False


@dataclass(frozen=True, slots=True)
class DomainDetails:
    """What the details pane shows for one domain (needs the XML)."""

    record: DomainRecord
    os_type: str
    arch: str
    machine: str
    domain_type: str
    title: str
    description: str
    disks: tuple[Disk, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    addresses: tuple[InterfaceAddresses, ...] = ()  # of a running domain, if known


@dataclass(frozen=True, slots=True)
class HostRecord:
    """What the details pane shows for one connection."""

    uri: str
    hostname: str
    hypervisor: str
    hypervisor_version: str
    libvirt_version: str
    cpu_model: str
    arch: str
    cpus: int
    mhz: int
    numa_nodes: int
    sockets: int
    cores: int
    threads: int
    memory_kib: int
    free_memory_kib: int = 0


class CpuSample(NamedTuple):
    """One bulk-stats sample of a domain: cumulative CPU time, and the other
    counters (memory in KiB, disk and network bytes) when they were asked
    for; None when not asked for or not reported.

    A named tuple, not a frozen dataclass: a stats tick makes one per running
    domain, and a tuple is made in a third of the time."""

    cpu_time_ns: int | None
    vcpus: int
    memory_kib: int | None = None
    disk_read: int | None = None
    disk_write: int | None = None
    net_rx: int | None = None
    net_tx: int | None = None


@dataclass(frozen=True, slots=True)
class StatsSnapshot:
    """All domains of one connection at one instant (monotonic seconds)."""

    taken_at: float
    samples: dict[str, CpuSample] = field(default_factory=dict)


def format_version(number: int) -> str:
    """libvirt packs versions as major * 1,000,000 + minor * 1,000 + release."""
    if number <= 0:
        return ""
    major, rest = divmod(number, 1_000_000)
    minor, release = divmod(rest, 1_000)
    return f"{major}.{minor}.{release}"


@dataclass(frozen=True, slots=True)
class HostUsageSample:
    """The host's cumulative CPU times and its memory at one instant.

    ``cpu_busy_ns`` and ``cpu_total_ns`` are None when the driver has no
    node CPU statistics; memory sizes are 0 when unknown.
    """

    cpu_busy_ns: int | None
    cpu_total_ns: int | None
    memory_total_kib: int
    memory_used_kib: int


@dataclass(frozen=True, slots=True)
class AddressRecord:
    """One address of a guest interface (``ip/prefix``)."""

    address: str
    prefix: int | None
    family: str  # "ipv4" or "ipv6"


@dataclass(frozen=True, slots=True)
class InterfaceAddresses:
    """What one guest interface holds, and who said so."""

    interface: str  # the guest's name for it, or the host-side device
    mac: str
    addresses: tuple[AddressRecord, ...]
    source: str  # "lease", "agent" or "arp"
