"""Migrate a domain from one libvirt host to another (blocking).

``plan_migration`` reads on the source what a migration involves: the
domain's state, its migratable definition and the source host's UUID.
``check_migration`` asks the destination before anything moves and
refuses with every reason at once (``MigrateProblem``): the same host,
a name or UUID taken there, CPU features, networks or pools that the
destination lacks. ``migrate`` runs the migration as ``virsh migrate``
would with the same options; ``abortJob`` on the source stops a live or
paused one. Its outcome carries the downtime libvirt measured.
"""

from __future__ import annotations

import contextlib
import enum
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import libvirt

from kvmdesk.domxml.check import InvalidXml, parse_checked
from kvmdesk.virt.errors import ErrorKind, Failure, classify


class Mode(enum.Enum):
    LIVE = "live"  # the guest runs on while its memory is copied
    PAUSED = "paused"  # the guest is paused for the copy (converges on a busy guest)
    OFFLINE = "offline"  # a shut-off domain: only its definition moves


class Storage(enum.Enum):
    SHARED = "shared"  # both hosts see the same disks
    FULL = "full"  # copy every disk (--copy-storage-all)
    INCREMENTAL = "incremental"  # copy what differs from a base the destination has


@dataclass(frozen=True, slots=True)
class MigrateRequest:
    """What the Migrate dialog chose; ``xml`` only when the user edited it."""

    dest_uri: str
    mode: Mode
    peer2peer: bool = False
    tunnelled: bool = False
    storage: Storage = Storage.SHARED
    persistent: bool = True
    undefine_source: bool = False
    bandwidth: int = 0  # MiB/s; 0: no limit
    address: str = ""  # the destination host as the source's QEMU reaches it
    unsafe: bool = False
    xml: str = ""

    def flags(self) -> int:
        flags = 0
        if self.mode is Mode.LIVE:
            flags |= libvirt.VIR_MIGRATE_LIVE
        if self.mode is Mode.OFFLINE:
            flags |= libvirt.VIR_MIGRATE_OFFLINE
        if self.peer2peer or self.tunnelled:
            flags |= libvirt.VIR_MIGRATE_PEER2PEER
        if self.tunnelled:
            flags |= libvirt.VIR_MIGRATE_TUNNELLED
        if self.storage is Storage.FULL:
            flags |= libvirt.VIR_MIGRATE_NON_SHARED_DISK
        if self.storage is Storage.INCREMENTAL:
            flags |= libvirt.VIR_MIGRATE_NON_SHARED_INC
        if self.persistent or self.mode is Mode.OFFLINE:
            flags |= libvirt.VIR_MIGRATE_PERSIST_DEST
        if self.undefine_source:
            flags |= libvirt.VIR_MIGRATE_UNDEFINE_SOURCE
        if self.unsafe:
            flags |= libvirt.VIR_MIGRATE_UNSAFE
        return flags

    def params(self, name: str) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.bandwidth > 0:
            params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] = self.bandwidth
        if self.address and not self.tunnelled:
            params[libvirt.VIR_MIGRATE_PARAM_URI] = migration_uri(self.address)
        if self.xml:
            params[libvirt.VIR_MIGRATE_PARAM_DEST_XML] = self.xml
            dest = dest_name(self.xml)
            if dest and dest != name:
                params[libvirt.VIR_MIGRATE_PARAM_DEST_NAME] = dest
        return params


@dataclass(frozen=True, slots=True)
class MigratePlan:
    uuid: str
    name: str
    running: bool  # running or paused: a live or paused migration; else offline
    persistent: bool
    xml: str  # the migratable definition, as the destination would get it
    source_uri: str
    source_host: str  # the source host's UUID ("" when the driver has none)


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # same-host, name-taken, uuid-taken, running-there, cpu, networks-missing,
    # networks-inactive, pools-missing, no-pool-for, missing-for-incremental, options,
    # address, xml
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MigrateOutcome:
    name: str
    uuid: str
    downtime_ms: int | None  # what libvirt measured; None for an offline migration
    transferred: int  # bytes


class MigrateProblem(Exception):
    """The migration is refused before anything moves; every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.kind}: {', '.join(p.names)}" for p in problems))
        self.problems = problems


_ADDRESS = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:[0-9]{1,5})?$")


def migration_uri(address: str) -> str:
    """``tcp://ADDRESS``: where the source's QEMU sends the memory."""
    return f"tcp://{address.strip()}"


def dest_name(xml: str) -> str:
    with contextlib.suppress(ET.ParseError):
        return (ET.fromstring(xml).findtext("name") or "").strip()
    return ""


def _host_uuid(virt: libvirt.virConnect) -> str:
    caps = ET.fromstring(virt.getCapabilities())
    return (caps.findtext("./host/uuid") or "").strip()


def plan_migration(virt: libvirt.virConnect, uuid: str) -> MigratePlan:
    dom = virt.lookupByUUIDString(uuid)
    return MigratePlan(
        uuid=uuid,
        name=dom.name(),
        running=bool(dom.isActive()),
        persistent=bool(dom.isPersistent()),
        xml=dom.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE),
        source_uri=virt.getURI(),
        source_host=_host_uuid(virt),
    )


# ---------------------------------------------------------------- checks


def check_migration(dst: libvirt.virConnect, plan: MigratePlan, request: MigrateRequest) -> None:
    """Ask the destination; raise ``MigrateProblem`` with every reason to refuse."""
    problems = _option_problems(plan, request)
    xml = request.xml or plan.xml
    try:
        root = parse_checked(xml)
    except InvalidXml as exc:
        raise MigrateProblem([*problems, Problem("xml", (str(exc),))]) from None
    if request.xml and (root.findtext("uuid") or "").strip() != plan.uuid:
        problems.append(Problem("xml", ("uuid",)))
    if _same_host(dst, plan):
        raise MigrateProblem([*problems, Problem("same-host")])
    problems += _name_problems(dst, plan, dest_name(xml) or plan.name)
    problems += _cpu_problems(dst, root)
    problems += _network_problems(dst, root, plan.running)
    problems += _storage_problems(dst, root, request.storage)
    if problems:
        raise MigrateProblem(problems)


def _option_problems(plan: MigratePlan, request: MigrateRequest) -> list[Problem]:
    found = []
    if request.address and not _ADDRESS.match(request.address.strip()):
        found.append(Problem("address", (request.address,)))
    if plan.running == (request.mode is Mode.OFFLINE):
        found.append(Problem("options", ("mode",)))
    if request.mode is Mode.OFFLINE and request.storage is not Storage.SHARED:
        found.append(Problem("options", ("offline-storage",)))
    if request.bandwidth < 0:
        found.append(Problem("options", ("bandwidth",)))
    return found


def _same_host(dst: libvirt.virConnect, plan: MigratePlan) -> bool:
    if dst.getURI() == plan.source_uri:
        return True
    host = _host_uuid(dst)
    return bool(host) and host == plan.source_host


def _name_problems(dst: libvirt.virConnect, plan: MigratePlan, name: str) -> list[Problem]:
    found = []
    by_name = _lookup(dst.lookupByName, name)
    by_uuid = _lookup(dst.lookupByUUIDString, plan.uuid)
    if by_name is not None and by_name.UUIDString() != plan.uuid:
        found.append(Problem("name-taken", (name,)))
    if by_uuid is not None:
        if by_uuid.isActive():
            found.append(Problem("running-there", (by_uuid.name(),)))
        elif by_uuid.name() != name:
            found.append(Problem("uuid-taken", (by_uuid.name(),)))
    return found


def _lookup(fn: Callable[[str], libvirt.virDomain], key: str) -> libvirt.virDomain | None:
    try:
        return fn(key)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise


_FEATURES = re.compile(r"features?:\s*(.+)$")


def _cpu_problems(dst: libvirt.virConnect, root: ET.Element) -> list[Problem]:
    """The CPU features the domain requires that the destination cannot give.

    host-passthrough and maximum take whatever the host has (nothing to
    compare); a host-model CPU not yet expanded adapts to the destination.
    """
    cpu = root.find("cpu")
    if cpu is None or cpu.get("mode", "custom") != "custom" or cpu.find("model") is None:
        return []
    os_type = root.find("./os/type")
    arch = os_type.get("arch") if os_type is not None else None
    machine = os_type.get("machine") if os_type is not None else None
    flag = libvirt.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE
    try:
        dst.compareHypervisorCPU(
            None, arch, machine, root.get("type"), ET.tostring(cpu, encoding="unicode"), flag
        )
    except libvirt.libvirtError as exc:
        code = exc.get_error_code()
        if code == libvirt.VIR_ERR_CPU_INCOMPATIBLE:
            message = exc.get_error_message() or ""
            match = _FEATURES.search(message)
            names = [n.strip() for n in match.group(1).split(",")] if match else [message]
            return [Problem("cpu", tuple(n for n in names if n))]
        if code in (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED):
            return []
        raise
    return []


def _network_problems(dst: libvirt.virConnect, root: ET.Element, running: bool) -> list[Problem]:
    wanted = []
    for iface in root.findall("./devices/interface[@type='network']"):
        source = iface.find("source")
        name = source.get("network", "") if source is not None else ""
        if name and name not in wanted:
            wanted.append(name)
    if not wanted:
        return []
    there = {net.name(): bool(net.isActive()) for net in dst.listAllNetworks(0)}
    missing = tuple(n for n in wanted if n not in there)
    inactive = tuple(n for n in wanted if n in there and not there[n]) if running else ()
    found = []
    if missing:
        found.append(Problem("networks-missing", missing))
    if inactive:
        found.append(Problem("networks-inactive", inactive))
    return found


def _storage_problems(dst: libvirt.virConnect, root: ET.Element, storage: Storage) -> list[Problem]:
    """Pools the disks name that the destination lacks; with a full copy, a
    pool for each copied file's folder (libvirt makes the copy's volume
    there); with an incremental copy, each copied file already there:
    libvirt makes no image for it ("pre-creation of storage targets for
    incremental storage migration is not supported")."""
    pools: dict[str, str] = {}  # name -> target path
    handles: dict[str, libvirt.virStoragePool] = {}
    for pool in dst.listAllStoragePools(0):
        path = ""
        with contextlib.suppress(ET.ParseError, libvirt.libvirtError):
            path = ET.fromstring(pool.XMLDesc(0)).findtext("./target/path") or ""
        pools[pool.name()] = posixpath.normpath(path) if path else ""
        handles[pool.name()] = pool
    missing: list[str] = []
    folders: list[str] = []
    absent: list[str] = []
    for disk in root.findall("./devices/disk"):
        source = disk.find("source")
        if source is None:
            continue
        if disk.get("type") == "volume":
            name = source.get("pool", "")
            if name and name not in pools and name not in missing:
                missing.append(name)
            continue
        copied = (
            storage is not Storage.SHARED
            and disk.get("type") in ("file", "block")
            and disk.get("device", "disk") == "disk"
            and disk.find("readonly") is None
            and disk.find("shareable") is None
        )
        path = source.get("file") or source.get("dev") or ""
        if not copied or not path:
            continue
        folder = posixpath.dirname(posixpath.normpath(path))
        there = _volume_there(dst, path)
        if folder not in pools.values() and not there:
            if folder not in folders:
                folders.append(folder)
        elif storage is Storage.INCREMENTAL and not there:
            # A file copied into the folder since the pool was last read counts.
            _refresh(handles, pools, folder)
            if not _volume_there(dst, path):
                absent.append(path)
    found = []
    if missing:
        found.append(Problem("pools-missing", tuple(missing)))
    if folders:
        found.append(Problem("no-pool-for", tuple(folders)))
    if absent:
        found.append(Problem("missing-for-incremental", tuple(absent)))
    return found


def _refresh(
    handles: dict[str, libvirt.virStoragePool], pools: dict[str, str], folder: str
) -> None:
    for name, path in pools.items():
        if path == folder:
            with contextlib.suppress(libvirt.libvirtError):
                if handles[name].isActive():
                    handles[name].refresh(0)


def _volume_there(dst: libvirt.virConnect, path: str) -> bool:
    try:
        dst.storageVolLookupByPath(path)
    except libvirt.libvirtError:
        return False
    return True


# ---------------------------------------------------------------- the move


class DestinationLost(Exception):
    """The destination stopped answering during the move, and the domain is still
    active on the source, where libvirt left it; ``failure`` has libvirt's words."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


@dataclass
class DestLink:
    """Opens the destination for the client-driven migration and the outcome."""

    open: Callable[[], libvirt.virConnect]
    opened: list[libvirt.virConnect] = field(default_factory=list)
    lost: bool = False  # it closed during the move (the job was stopped for it)

    def get(self) -> libvirt.virConnect:
        if not self.opened:
            self.opened.append(self.open())
        return self.opened[0]

    def alive(self) -> bool:
        """False once an opened link has closed (no call: the event loop saw it close)."""
        if not self.opened:
            return True
        try:
            return bool(self.opened[0].isAlive())
        except libvirt.libvirtError:
            return False

    def close(self) -> None:
        for virt in self.opened:
            with contextlib.suppress(libvirt.libvirtError):
                virt.close()
        self.opened.clear()


def migrate(
    virt: libvirt.virConnect, plan: MigratePlan, request: MigrateRequest, dest: DestLink
) -> MigrateOutcome:
    """Move the domain; peer-to-peer lets the source's daemon reach the destination."""
    dom = virt.lookupByUUIDString(plan.uuid)
    params = request.params(plan.name)
    flags = request.flags()
    try:
        try:
            if flags & libvirt.VIR_MIGRATE_PEER2PEER:
                dom.migrateToURI3(request.dest_uri, params, flags)
            else:
                dom.migrate3(dest.get(), params, flags)
        except libvirt.libvirtError as exc:
            _raise_if_destination_lost(virt, dom, dest, exc)
            raise
        return outcome_on(dest.get(), plan)
    finally:
        dest.close()


def stop_if_destination_lost(virt: libvirt.virConnect, uuid: str, dest: DestLink) -> bool:
    """In a client-driven move, stop the source's job once the link to the
    destination has closed: the source's QEMU would otherwise send the memory
    on to a destination QEMU that nobody will start, for as long as the copy
    takes. True when it asked libvirt to stop."""
    if dest.lost or dest.alive():
        return False
    dest.lost = True
    with contextlib.suppress(libvirt.libvirtError):  # finished meanwhile: nothing to stop
        virt.lookupByUUIDString(uuid).abortJob()
    return True


def _raise_if_destination_lost(
    virt: libvirt.virConnect, dom: libvirt.virDomain, dest: DestLink, exc: libvirt.libvirtError
) -> None:
    """A failed move whose source link still answers: when the destination's link
    closed (ours, or the source daemon's in a peer-to-peer move), say so.

    A domain no longer active on the source is left to the caller's re-check
    on the destination."""
    failure = classify(exc)
    gone = (
        dest.lost
        or not dest.alive()
        or failure.kind is ErrorKind.CONNECTION_LOST
        or "lost connection to destination" in failure.message.lower()
    )
    if not gone or not virt.isAlive():
        return
    try:
        on_source = bool(dom.isActive())
    except libvirt.libvirtError:
        return  # the source's link closed after all
    if on_source:
        lost = Failure(ErrorKind.DESTINATION_LOST, failure.message, failure.code)
        raise DestinationLost(lost) from None


def outcome_on(dst: libvirt.virConnect, plan: MigratePlan) -> MigrateOutcome:
    """What arrived: the domain on the destination and the figures of its job."""
    dom = dst.lookupByUUIDString(plan.uuid)
    downtime: int | None = None
    transferred = 0
    if dom.isActive():
        with contextlib.suppress(libvirt.libvirtError):
            stats = dom.jobStats(libvirt.VIR_DOMAIN_JOB_STATS_COMPLETED)
            if "downtime" in stats:
                downtime = int(stats["downtime"])
            transferred = int(stats.get("data_processed", 0)) or int(
                stats.get("memory_processed", 0)
            ) + int(stats.get("disk_processed", 0))
    return MigrateOutcome(dom.name(), plan.uuid, downtime, transferred)


def recheck(dst: libvirt.virConnect, plan: MigratePlan) -> MigrateOutcome | None:
    """After a dropped link: the domain on the destination, or None when it is not there."""
    try:
        dom = dst.lookupByUUIDString(plan.uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise
    if plan.running and not dom.isActive():
        return None
    return outcome_on(dst, plan)
