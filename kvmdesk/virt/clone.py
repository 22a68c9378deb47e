"""Clone a domain as ``virt-clone`` does, through the storage API (blocking).

``plan_clone`` reads what the clone would involve: each disk, whether it is
kept shared (read-only, shareable, CD-ROMs: the clone uses the same file),
cloned (a new volume made from the original by ``createXMLFrom``, which
works on a remote host as well as here) or cannot be cloned (a file no
storage pool holds: the user shares or skips it). ``check_clone`` refuses
before anything is made: a name or MAC that exists, a pool without room.
``execute_clone`` makes the volumes, then defines the clone with a new
name, a new UUID and new MACs (``VIR_DOMAIN_DEFINE_VALIDATE``); on a
failure or a cancel it removes what it made, and only that. The source is
only read: its definition and disks stay as they were.
"""

from __future__ import annotations

import contextlib
import enum
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import libvirt

from kvmdesk.domxml.check import parse_checked
from kvmdesk.domxml.clone import clone_xml
from kvmdesk.virt.jobs import JobProgress
from kvmdesk.virt.plan_checks import check_name_text, name_taken
from kvmdesk.virt.provision import PlanInputError
from kvmdesk.virt.steps import Journal, Step

MAC_RE = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


class DiskAction(enum.Enum):
    CLONE = "clone"  # a new volume made from the original
    SHARE = "share"  # the clone uses the same file
    SKIP = "skip"  # the clone has no such disk


@dataclass(frozen=True, slots=True)
class CloneDisk:
    target: str  # vda
    device: str  # disk, cdrom ...
    source: str  # the file, or "" for an empty drive
    pool: str  # the storage pool that holds it, "" when none does
    volume: str  # its volume name in that pool
    fmt: str  # qcow2, raw ...
    allocation: int  # bytes the original takes on the host
    shared: bool  # read-only, shareable or a CD-ROM: kept shared by default

    @property
    def cloneable(self) -> bool:
        return bool(self.pool) and not self.shared

    @property
    def default_action(self) -> DiskAction:
        return DiskAction.CLONE if self.cloneable else DiskAction.SHARE


@dataclass(frozen=True, slots=True)
class CloneNic:
    mac: str
    source: str  # network or bridge name


@dataclass(frozen=True, slots=True)
class ClonePlan:
    uuid: str
    name: str
    running: bool
    disks: tuple[CloneDisk, ...]
    nics: tuple[CloneNic, ...]
    pool_free: dict[str, int]  # bytes available per pool that holds a disk
    pool_volumes: dict[str, frozenset[str]]  # volume names per pool
    macs_in_use: frozenset[str]  # every MAC of every domain of the host


class CloneProblem(Exception):
    """The clone is refused before anything is made; ``kind`` says why."""

    def __init__(self, kind: str, detail: str = "", amount: int = 0) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind  # running, mac-invalid, mac-taken, space, not-in-pool, volume-taken
        self.detail = detail
        self.amount = amount


class CloneCancelled(Exception):
    """The user cancelled; what was made is gone again."""


@dataclass
class CloneRequest:
    name: str
    actions: dict[str, DiskAction]  # by target; a missing one takes the default
    macs: list[str] = field(default_factory=list)  # per interface; "" for a new random one
    allow_running: bool = False  # copy a running source (crash-consistent)
    pause: bool = False  # pause a running source while its disks are copied


@dataclass(frozen=True, slots=True)
class CloneOutcome:
    uuid: str  # the clone's
    volumes: tuple[str, ...]  # paths of the volumes made for it


# -- reading ----------------------------------------------------------------------


def _source(disk: ET.Element) -> str:
    source = disk.find("source")
    if source is None:
        return ""
    return source.get("file") or source.get("dev") or ""


def _volume_of(
    virt: libvirt.virConnect, disk: ET.Element
) -> tuple[libvirt.virStorageVol | None, str]:
    source = disk.find("source")
    if source is None:
        return None, ""
    try:
        if disk.get("type") == "volume":
            pool = virt.storagePoolLookupByName(source.get("pool", ""))
            return pool.storageVolLookupByName(source.get("volume", "")), pool.name()
        path = _source(disk)
        if not path:
            return None, ""
        vol = virt.storageVolLookupByPath(path)
        return vol, str(vol.storagePoolLookupByVolume().name())
    except libvirt.libvirtError:
        return None, ""


def plan_clone(virt: libvirt.virConnect, uuid: str) -> ClonePlan:
    dom = virt.lookupByUUIDString(uuid)
    root = parse_checked(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), root="domain")
    disks = []
    free: dict[str, int] = {}
    names: dict[str, frozenset[str]] = {}
    for elem in root.findall("devices/disk"):
        target = elem.find("target")
        driver = elem.find("driver")
        device = elem.get("device", "disk")
        vol, pool = _volume_of(virt, elem)
        if pool and pool not in free:
            handle = virt.storagePoolLookupByName(pool)
            free[pool] = int(handle.info()[3])
            names[pool] = frozenset(str(n) for n in handle.listVolumes())
        disks.append(
            CloneDisk(
                target=target.get("dev", "") if target is not None else "",
                device=device,
                source=vol.path() if vol is not None else _source(elem),
                pool=pool,
                volume=str(vol.name()) if vol is not None else "",
                fmt=driver.get("type", "raw") if driver is not None else "raw",
                allocation=int(vol.info()[2]) if vol is not None else 0,
                shared=device in ("cdrom", "floppy")
                or elem.find("readonly") is not None
                or elem.find("shareable") is not None,
            )
        )
    nics = []
    for nic in root.findall("devices/interface"):
        mac = nic.find("mac")
        source = nic.find("source")
        nics.append(
            CloneNic(
                mac=mac.get("address", "") if mac is not None else "",
                source=(source.get("network") or source.get("bridge") or "")
                if source is not None
                else "",
            )
        )
    return ClonePlan(
        uuid=uuid,
        name=str(dom.name()),
        running=bool(dom.isActive()),
        disks=tuple(disks),
        nics=tuple(nics),
        pool_free=free,
        pool_volumes=names,
        macs_in_use=_all_macs(virt),
    )


def _all_macs(virt: libvirt.virConnect) -> frozenset[str]:
    macs = set()
    for dom in virt.listAllDomains():
        try:
            root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        except (libvirt.libvirtError, ET.ParseError):
            continue
        for mac in root.iterfind("devices/interface/mac"):
            macs.add(mac.get("address", "").lower())
    return frozenset(macs)


def new_volume_names(plan: ClonePlan, request: CloneRequest) -> dict[str, str]:
    """The name of each disk's new volume, by target: after the clone, unique in its pool."""
    chosen: dict[str, str] = {}
    taken: dict[str, set[str]] = {p: set(n) for p, n in plan.pool_volumes.items()}
    for disk in plan.disks:
        wanted = request.actions.get(disk.target, disk.default_action)
        if wanted is not DiskAction.CLONE or not disk.cloneable:
            continue  # check_clone refuses a disk that cannot be cloned
        _stem, ext = posixpath.splitext(disk.volume)
        base = request.name if not chosen else f"{request.name}-{disk.target}"
        name, n = f"{base}{ext}", 1
        while name in taken[disk.pool]:
            name, n = f"{base}-{n}{ext}", n + 1
        taken[disk.pool].add(name)
        chosen[disk.target] = name
    return chosen


def check_clone(virt: libvirt.virConnect, plan: ClonePlan, request: CloneRequest) -> None:
    """Refuse before anything is made; raises ``PlanInputError`` or ``CloneProblem``."""
    check_name_text(request.name)
    if name_taken(virt, request.name):
        raise PlanInputError("name", "taken", request.name)
    if plan.running and not (request.allow_running or request.pause):
        raise CloneProblem("running", plan.name)
    seen: set[str] = set()
    for mac in request.macs:
        mac = mac.strip().lower()
        if not mac:
            continue
        if not MAC_RE.match(mac) or int(mac[:2], 16) & 1:
            raise CloneProblem("mac-invalid", mac)
        if mac in plan.macs_in_use or mac in seen:
            raise CloneProblem("mac-taken", mac)
        seen.add(mac)
    need: dict[str, int] = {}
    for disk in plan.disks:
        action = request.actions.get(disk.target, disk.default_action)
        if action is DiskAction.CLONE:
            if not disk.cloneable:
                raise CloneProblem("not-in-pool", disk.target)
            need[disk.pool] = need.get(disk.pool, 0) + disk.allocation
    for pool, amount in need.items():
        handle = virt.storagePoolLookupByName(pool)
        free = int(handle.info()[3])
        if amount > free:
            raise CloneProblem("space", pool, amount - free)
    for target, name in new_volume_names(plan, request).items():
        pool = next(d.pool for d in plan.disks if d.target == target)
        if name in virt.storagePoolLookupByName(pool).listVolumes():
            raise CloneProblem("volume-taken", name)


# -- making ----------------------------------------------------------------------


def clone_journal(plan: ClonePlan, request: CloneRequest) -> Journal:
    names = new_volume_names(plan, request)
    steps = [Step(f"volume:{t}") for t in names] + [Step("define")]
    return Journal(steps)


def _volume_xml(name: str, fmt: str) -> str:
    root = ET.Element("volume")
    ET.SubElement(root, "name").text = name
    ET.SubElement(root, "capacity").text = "0"  # createXMLFrom takes the original's
    ET.SubElement(ET.SubElement(root, "target"), "format", type=fmt)
    return ET.tostring(root, encoding="unicode")


def execute_clone(
    virt: libvirt.virConnect,
    plan: ClonePlan,
    request: CloneRequest,
    journal: Journal,
    cancel: threading.Event,
) -> CloneOutcome:
    check_clone(virt, plan, request)
    dom = virt.lookupByUUIDString(plan.uuid)
    source_xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)
    names = new_volume_names(plan, request)
    made: list[libvirt.virStorageVol] = []
    paused = False
    try:
        if plan.running and request.pause and dom.isActive():
            dom.suspend()
            paused = True
        paths: dict[str, str] = {}
        for disk in plan.disks:
            if disk.target not in names:
                continue
            if cancel.is_set():
                raise CloneCancelled()
            key = f"volume:{disk.target}"
            journal.begin(key)
            pool = virt.storagePoolLookupByName(disk.pool)
            original = pool.storageVolLookupByName(disk.volume)
            vol = pool.createXMLFrom(_volume_xml(names[disk.target], disk.fmt), original, 0)
            made.append(vol)
            paths[disk.target] = str(vol.path())
            journal.notes[key] = paths[disk.target]
            journal.done(key)
        if paused:
            dom.resume()
            paused = False
        if cancel.is_set():
            raise CloneCancelled()
        journal.begin("define")
        clone = virt.defineXMLFlags(
            clone_xml(
                source_xml,
                request.name,
                {t for t, a in request.actions.items() if a is DiskAction.SKIP},
                paths,
                request.macs,
            ),
            libvirt.VIR_DOMAIN_DEFINE_VALIDATE,
        )
        journal.notes["define"] = str(clone.UUIDString())
        journal.done("define")
        return CloneOutcome(str(clone.UUIDString()), tuple(paths.values()))
    except BaseException:
        _roll_back(made)
        raise
    finally:
        if paused:
            with contextlib.suppress(libvirt.libvirtError):
                dom.resume()


def _roll_back(made: list[libvirt.virStorageVol]) -> None:
    """Remove the volumes this clone made, and only those."""
    for vol in made:
        with contextlib.suppress(libvirt.libvirtError):
            vol.delete(0)


def clone_progress(
    virt: libvirt.virConnect, plan: ClonePlan, names: dict[str, str]
) -> JobProgress | None:
    """Bytes of the new volumes so far, against what the originals take."""
    total = processed = 0
    for disk in plan.disks:
        if disk.target not in names:
            continue
        total += disk.allocation
        try:
            pool = virt.storagePoolLookupByName(disk.pool)
            pool.refresh(0)
            processed += int(pool.storageVolLookupByName(names[disk.target]).info()[2])
        except libvirt.libvirtError:
            continue
    return JobProgress(min(processed, total), total, 0, None, None) if total else None


class CloneLeftovers(Exception):
    """A cut clone's volumes that could not be removed after the reconnect."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__("volumes left on the host: " + ", ".join(paths))
        self.paths = paths


def recheck_clone(
    virt: libvirt.virConnect, plan: ClonePlan, request: CloneRequest
) -> CloneOutcome | None:
    """After a dropped link: the clone if it was defined; else None, its volumes removed.

    Raises ``CloneLeftovers`` naming the volumes that could not be removed.
    """
    try:
        return CloneOutcome(str(virt.lookupByName(request.name).UUIDString()), ())
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise
    left = []
    for disk in plan.disks:
        name = new_volume_names(plan, request).get(disk.target)
        if name is None:
            continue
        try:
            vol = virt.storagePoolLookupByName(disk.pool).storageVolLookupByName(name)
        except libvirt.libvirtError:
            continue  # never made, or already gone
        path = str(vol.path())
        try:
            vol.delete(0)
        except libvirt.libvirtError:
            left.append(path)
    if left:
        raise CloneLeftovers(left)
    return None
