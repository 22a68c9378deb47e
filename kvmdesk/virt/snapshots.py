"""A domain's snapshots: list, create, revert, delete, describe (blocking).

What libvirt would refuse is worked out before anything is asked of it,
from the domain's definition and the daemon's version, so that the window
can say it in words before the user clicks (``SnapshotListing.refusals``):

* an internal snapshot lives inside qcow2 images: a writable disk in any
  other format (raw) cannot hold one, and the memory of a running domain
  needs at least one qcow2 disk to be written to;
* QEMU's internal snapshots and UEFI firmware in pflash (the variables
  file) did not go together before libvirt 10.10;
* a disk-only (external) snapshot needs a disk to overlay; before libvirt
  9.9 an external snapshot cannot be reverted to, and before 9.0 it cannot
  be deleted (its metadata can be dropped, the files stay).

The screenshot taken when a snapshot is made is not libvirt's: the
snapshot XML has no place for it. It is kept on this computer beside the
user's other kvmdesk data (``screen_file``), one PNG per snapshot.
"""

from __future__ import annotations

import enum
import hashlib
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import libvirt

from kvmdesk.domxml.check import parse_checked
from kvmdesk.domxml.snapshot import SnapshotInfo, parse_snapshot
from kvmdesk.virt.screenshot import capture, decode, screenshot_metadata, to_png
from kvmdesk.virt.screenshot.errors import ScreenshotError
from kvmdesk.virt.screenshot.naming import connection_label

# libvirt versions as getLibVersion gives them (major * 1,000,000 + minor * 1,000 + micro)
INTERNAL_WITH_PFLASH = 10_010_000
REVERT_EXTERNAL = 9_009_000
DELETE_EXTERNAL = 9_000_000


class Mode(enum.Enum):
    INTERNAL = "internal"  # disks (and the memory of a running domain) inside the qcow2 images
    DISK_ONLY = "disk-only"  # an overlay file per disk; the memory is not kept


class Refusal(enum.Enum):
    """Why libvirt would refuse a kind of snapshot; ``Limit.detail`` names the part."""

    RAW_DISK = "raw-disk"  # detail: "vda (raw)"
    NO_QCOW2_FOR_MEMORY = "no-qcow2-for-memory"
    UEFI_INTERNAL = "uefi-internal"  # detail: the daemon's version
    NO_DISKS = "no-disks"
    NOT_FILE_DISK = "not-file-disk"  # detail: "vda (network)"


@dataclass(frozen=True, slots=True)
class Limit:
    reason: Refusal
    detail: str = ""


class NameProblem(enum.Enum):
    EMPTY = "empty"
    SLASH = "slash"
    CONTROL = "control"
    EXISTS = "exists"


class SnapshotNameError(ValueError):
    def __init__(self, problem: NameProblem, name: str) -> None:
        super().__init__(f"snapshot name {name!r}: {problem.value}")
        self.problem = problem
        self.name = name


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    info: SnapshotInfo
    current: bool

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def parent(self) -> str:
        return self.info.parent


@dataclass(frozen=True, slots=True)
class SnapshotListing:
    uuid: str
    running: bool  # active: an internal snapshot includes the memory
    snapshots: tuple[SnapshotRecord, ...]  # parents before their children
    refusals: dict[Mode, tuple[Limit, ...]]
    lib_version: int

    @property
    def can_revert_external(self) -> bool:
        return self.lib_version >= REVERT_EXTERNAL

    @property
    def can_delete_external(self) -> bool:
        return self.lib_version >= DELETE_EXTERNAL

    def find(self, name: str) -> SnapshotRecord | None:
        return next((s for s in self.snapshots if s.name == name), None)

    def children(self, name: str) -> tuple[SnapshotRecord, ...]:
        return tuple(s for s in self.snapshots if s.parent == name)

    def descendants(self, name: str) -> tuple[SnapshotRecord, ...]:
        found: list[SnapshotRecord] = []
        for child in self.children(name):
            found.append(child)
            found.extend(self.descendants(child.name))
        return tuple(found)


def check_name(name: str, existing: set[str] | frozenset[str] = frozenset()) -> NameProblem | None:
    """What is wrong with ``name`` as a new snapshot's name, or None."""
    if not name.strip():
        return NameProblem.EMPTY
    if "/" in name:
        return NameProblem.SLASH
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return NameProblem.CONTROL
    if name in existing:
        return NameProblem.EXISTS
    return None


# -- reading --------------------------------------------------------------------------


def _is_writable(disk: ET.Element) -> bool:
    """A disk of this domain alone that it writes to (not a CD-ROM, shared or read-only)."""
    return (
        disk.get("device", "disk") in ("disk", "lun")
        and disk.find("readonly") is None
        and disk.find("shareable") is None
    )


def _writable_disks(root: ET.Element) -> list[ET.Element]:
    return [d for d in root.findall("devices/disk") if _is_writable(d)]


def _disk_label(disk: ET.Element, what: str) -> str:
    target = disk.find("target")
    name = target.get("dev", "?") if target is not None else "?"
    return f"{name} ({what})"


def refusals(domain_xml: str, running: bool, lib_version: int) -> dict[Mode, tuple[Limit, ...]]:
    """What libvirt would refuse for each kind of snapshot of this domain."""
    root = parse_checked(domain_xml, root="domain")
    disks = _writable_disks(root)
    internal: list[Limit] = []
    qcow2 = 0
    for disk in disks:
        driver = disk.find("driver")
        fmt = driver.get("type", "raw") if driver is not None else "raw"
        if fmt == "qcow2":
            qcow2 += 1
        else:
            internal.append(Limit(Refusal.RAW_DISK, _disk_label(disk, fmt)))
    if running and qcow2 == 0 and not internal:
        internal.append(Limit(Refusal.NO_QCOW2_FOR_MEMORY))
    loader = root.find("os/loader")
    if loader is not None and loader.get("type") == "pflash" and lib_version < INTERNAL_WITH_PFLASH:
        internal.append(Limit(Refusal.UEFI_INTERNAL, version_text(lib_version)))
    disk_only: list[Limit] = []
    if not disks:
        disk_only.append(Limit(Refusal.NO_DISKS))
    for disk in disks:
        if disk.get("type", "file") not in ("file", "block", "volume"):
            disk_only.append(Limit(Refusal.NOT_FILE_DISK, _disk_label(disk, disk.get("type", ""))))
    return {Mode.INTERNAL: tuple(internal), Mode.DISK_ONLY: tuple(disk_only)}


def version_text(version: int) -> str:
    return f"{version // 1_000_000}.{version // 1000 % 1000}.{version % 1000}"


def _ordered(records: list[SnapshotRecord]) -> tuple[SnapshotRecord, ...]:
    """Parents before children, siblings by creation time."""
    names = {r.name for r in records}
    by_parent: dict[str, list[SnapshotRecord]] = {}
    for record in records:
        parent = record.parent if record.parent in names else ""
        by_parent.setdefault(parent, []).append(record)
    out: list[SnapshotRecord] = []

    def walk(parent: str) -> None:
        for record in sorted(by_parent.get(parent, []), key=lambda r: (r.info.created, r.name)):
            out.append(record)
            walk(record.name)

    walk("")
    return tuple(out)


def list_snapshots(virt: libvirt.virConnect, uuid: str) -> SnapshotListing:
    dom = virt.lookupByUUIDString(uuid)
    running = bool(dom.isActive())
    current = ""
    if dom.hasCurrentSnapshot():
        current = str(dom.snapshotCurrent().getName())
    records = []
    for snap in dom.listAllSnapshots():
        info = parse_snapshot(snap.getXMLDesc())
        records.append(SnapshotRecord(info, info.name == current))
    version = int(virt.getLibVersion())
    return SnapshotListing(
        uuid=uuid,
        running=running,
        snapshots=_ordered(records),
        refusals=refusals(dom.XMLDesc(0), running, version),
        lib_version=version,
    )


def snapshot_exists(virt: libvirt.virConnect, uuid: str, name: str) -> bool:
    """Whether the domain has a snapshot called ``name`` (a re-read after a lost link)."""
    dom = virt.lookupByUUIDString(uuid)
    return name in {str(s.getName()) for s in dom.listAllSnapshots()}


# -- changing -------------------------------------------------------------------------


def disk_only_parts(domain_xml: str) -> list[tuple[str, str]]:
    """Each disk's part in a disk-only snapshot: (target, "external" or "no").

    Shared and read-only disks (and CD-ROMs) are left alone: an overlay
    would take them from whoever else uses them. The snapshot XML and the
    logged ``--diskspec`` options both come from here.
    """
    parts = []
    for disk in parse_checked(domain_xml, root="domain").findall("devices/disk"):
        target = disk.find("target")
        if target is None or not target.get("dev"):
            continue
        parts.append((target.get("dev", ""), "external" if _is_writable(disk) else "no"))
    return parts


def domain_disk_parts(virt: libvirt.virConnect, uuid: str) -> list[tuple[str, str]]:
    """``disk_only_parts`` of the domain's definition now."""
    return disk_only_parts(virt.lookupByUUIDString(uuid).XMLDesc(0))


def snapshot_xml(name: str, description: str, mode: Mode, domain_xml: str) -> str:
    """The ``<domainsnapshot>`` asked for; disk-only names each disk's part in it."""
    root = ET.Element("domainsnapshot")
    ET.SubElement(root, "name").text = name
    if description:
        ET.SubElement(root, "description").text = description
    if mode is Mode.DISK_ONLY:
        disks = ET.SubElement(root, "disks")
        for target, kind in disk_only_parts(domain_xml):
            ET.SubElement(disks, "disk", name=target, snapshot=kind)
    return ET.tostring(root, encoding="unicode")


def create_snapshot(
    virt: libvirt.virConnect, uuid: str, name: str, description: str, mode: Mode
) -> None:
    """Take a snapshot (``virsh snapshot-create-as``), refusing a bad name first."""
    dom = virt.lookupByUUIDString(uuid)
    existing = {str(s.getName()) for s in dom.listAllSnapshots()}
    problem = check_name(name, existing)
    if problem is not None:
        raise SnapshotNameError(problem, name)
    flags = libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC
    if mode is Mode.DISK_ONLY:
        flags |= libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY
    dom.snapshotCreateXML(snapshot_xml(name, description, mode, dom.XMLDesc(0)), flags)


def revert(virt: libvirt.virConnect, uuid: str, name: str) -> bool:
    """Return the domain to the snapshot (``virsh snapshot-revert``); whether it runs now."""
    dom = virt.lookupByUUIDString(uuid)
    dom.revertToSnapshot(dom.snapshotLookupByName(name), 0)
    return bool(dom.isActive())


def reverted(virt: libvirt.virConnect, uuid: str, name: str) -> bool | None:
    """After a dropped link: whether the domain runs, if ``name`` is its current snapshot now.

    None when the revert did not happen (another snapshot, or none, is current).
    """
    dom = virt.lookupByUUIDString(uuid)
    if not dom.hasCurrentSnapshot() or dom.snapshotCurrent().getName() != name:
        return None
    return bool(dom.isActive())


def delete(
    virt: libvirt.virConnect,
    uuid: str,
    name: str,
    *,
    children: bool = False,
    metadata_only: bool = False,
) -> None:
    """Delete a snapshot, with its children if asked (``virsh snapshot-delete``).

    ``metadata_only`` drops libvirt's record and leaves every file as it is
    (for external snapshots libvirt cannot delete).
    """
    flags = 0
    if children:
        flags |= libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN
    if metadata_only:
        flags |= libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY
    dom = virt.lookupByUUIDString(uuid)
    dom.snapshotLookupByName(name).delete(flags)


@dataclass(frozen=True, slots=True)
class StoredSnapshot:
    """A snapshot's metadata as libvirt keeps it, and whether it is the current one."""

    xml: str
    current: bool


def stored(virt: libvirt.virConnect, uuid: str, name: str) -> StoredSnapshot:
    dom = virt.lookupByUUIDString(uuid)
    snap = dom.snapshotLookupByName(name)
    xml = snap.getXMLDesc(libvirt.VIR_DOMAIN_SNAPSHOT_XML_SECURE)
    return StoredSnapshot(xml, bool(snap.isCurrent()))


def described(snapshot_xml: str, description: str) -> str:
    """The snapshot's metadata with ``description`` (none when empty), all else kept."""
    root = parse_checked(snapshot_xml, root="domainsnapshot")
    elem = root.find("description")
    if not description:
        if elem is not None:
            root.remove(elem)
    else:
        if elem is None:
            elem = ET.Element("description")
            root.insert(1, elem)  # after <name>, where libvirt writes it
        elem.text = description
    return ET.tostring(root, encoding="unicode")


def redefine(virt: libvirt.virConnect, uuid: str, snapshot_xml: str, current: bool) -> None:
    """Store changed snapshot metadata (``virsh snapshot-create --redefine``);
    ``current`` keeps it the domain's current snapshot."""
    flags = libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE
    if current:
        flags |= libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT
    virt.lookupByUUIDString(uuid).snapshotCreateXML(snapshot_xml, flags)


# -- the screenshot kept with a snapshot ---------------------------------------------------


def screen_file(base: Path, uri: str, uuid: str, name: str) -> Path:
    """Where the screenshot of snapshot ``name`` is kept on this computer.

    ``base/<host>/<domain uuid>/<hash of the name>.png``: the name is hashed
    because a snapshot may be called anything a file may not.
    """
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return base / connection_label(uri) / uuid / f"{digest}.png"


def screen_png(virt: libvirt.virConnect, uuid: str, uri: str) -> bytes | None:
    """The domain's screen now as PNG, or None when it has none to give."""
    try:
        shot = capture(virt, uuid)
        return to_png(decode(shot.data, shot.mime), screenshot_metadata(shot, uri))
    except ScreenshotError:
        return None
