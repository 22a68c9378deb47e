"""Deleting a domain in the safe order, with its storage only on request.

Order: keep a copy of the XML, force off if running, undefine (with the
flags its managed save, snapshots and NVRAM need), and only then delete the
chosen volumes through the storage API. A path that is not a volume of a
storage pool is never unlinked: on a remote host it is not our file system.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

import libvirt

from kvmdesk.domxml.domain import Disk, parse_domain
from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.steps import Journal, Step


class Keep(enum.Enum):
    """Why a disk is not ticked for deletion by default."""

    NONE = "none"  # ticked
    SHARED = "shared"  # another domain uses the same source
    READONLY = "readonly"
    SHAREABLE = "shareable"
    CDROM = "cdrom"
    NOT_A_VOLUME = "not_a_volume"  # not managed by a storage pool: cannot be deleted
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class StorageChoice:
    disk: Disk
    keep: Keep
    shared_with: tuple[str, ...] = ()

    @property
    def default_selected(self) -> bool:
        return self.keep is Keep.NONE

    @property
    def deletable(self) -> bool:
        return self.keep not in (Keep.NOT_A_VOLUME, Keep.EMPTY)


@dataclass(frozen=True, slots=True)
class DeletePlan:
    uuid: str
    name: str
    xml: str
    active: bool
    choices: tuple[StorageChoice, ...]


@dataclass(slots=True)
class DeleteOutcome:
    name: str
    backup: Path | None = None
    forced_off: bool = False
    undefined: bool = False
    undefine_error: str = ""
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.undefined and not self.failed


def _volume(conn: libvirt.virConnect, disk: Disk) -> libvirt.virStorageVol | None:
    try:
        if disk.source_kind == "volume":
            return conn.storagePoolLookupByName(disk.pool).storageVolLookupByName(disk.volume)
        if disk.source_kind in ("file", "block") and disk.source:
            return conn.storageVolLookupByPath(disk.source)
    except libvirt.libvirtError as exc:
        if classify(exc).kind is ErrorKind.CONNECTION_LOST:
            raise  # a dropped link says nothing about the volume: never "not a volume"
        return None
    return None


class _SourceKeys:
    """One key per storage object, whether a disk names it by path or by pool/volume."""

    def __init__(self, conn: libvirt.virConnect) -> None:
        self._conn = conn
        self._volume_paths: dict[tuple[str, str], str] = {}

    def key(self, disk: Disk) -> str:
        if disk.source_kind != "volume":
            return disk.source
        ident = (disk.pool, disk.volume)
        if ident not in self._volume_paths:
            vol = _volume(self._conn, disk)
            try:
                self._volume_paths[ident] = vol.path() if vol is not None else disk.source
            except libvirt.libvirtError:
                self._volume_paths[ident] = disk.source
        return self._volume_paths[ident]


def _users_of_sources(
    conn: libvirt.virConnect, skip_uuid: str, keys: _SourceKeys
) -> dict[str, list[str]]:
    """Storage key -> names of the other domains that use it."""
    users: dict[str, list[str]] = {}
    for dom in conn.listAllDomains(0):
        if dom.UUIDString() == skip_uuid:
            continue
        try:
            cfg = parse_domain(dom.XMLDesc(0))
        except libvirt.libvirtError:
            continue  # gone meanwhile
        for disk in cfg.disks:
            if disk.source:
                users.setdefault(keys.key(disk), []).append(cfg.name)
    return users


def plan_delete(conn: libvirt.virConnect, uuid: str) -> DeletePlan:
    dom = conn.lookupByUUIDString(uuid)
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE if dom.isPersistent() else 0)
    cfg = parse_domain(xml)
    keys = _SourceKeys(conn)
    users = _users_of_sources(conn, uuid, keys)
    choices = []
    for disk in cfg.disks:
        shared = tuple(sorted(set(users.get(keys.key(disk), ())))) if disk.source else ()
        if not disk.source:
            keep = Keep.EMPTY
        elif _volume(conn, disk) is None:
            keep = Keep.NOT_A_VOLUME  # checked first: such a disk can never be deleted here
        elif disk.device in ("cdrom", "floppy"):
            keep = Keep.CDROM
        elif shared:
            keep = Keep.SHARED
        elif disk.readonly:
            keep = Keep.READONLY
        elif disk.shareable:
            keep = Keep.SHAREABLE
        else:
            keep = Keep.NONE
        choices.append(StorageChoice(disk=disk, keep=keep, shared_with=shared))
    return DeletePlan(
        uuid=uuid, name=cfg.name, xml=xml, active=bool(dom.isActive()), choices=tuple(choices)
    )


def _undefine_flags(dom: libvirt.virDomain, xml: str) -> int:
    flags = 0
    try:
        if dom.hasManagedSaveImage(0):
            flags |= libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
    except libvirt.libvirtError:
        pass
    try:
        if dom.snapshotNum(0) > 0:
            flags |= libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
    except libvirt.libvirtError:
        pass
    if parse_domain(xml).has_nvram:
        flags |= libvirt.VIR_DOMAIN_UNDEFINE_NVRAM
    return flags


def _safe_file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "domain"


def write_backup(backup_dir: Path, name: str, uuid: str, xml: str) -> Path:
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = backup_dir / f"{_safe_file_name(name)}-{uuid[:8]}-{stamp}.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def delete_journal(plan: DeletePlan, delete_sources: list[str]) -> Journal:
    """The steps of ``execute_delete``: backup, force off, undefine, each volume."""
    # "force off" is dropped at run time when the domain turns out not to run.
    steps = [Step("backup", writes=False), Step("force off"), Step("undefine")]
    steps += [Step(f"delete:{source}") for source in delete_sources]
    return Journal(steps)


def _lost(exc: libvirt.libvirtError) -> bool:
    return classify(exc).kind is ErrorKind.CONNECTION_LOST


def execute_delete(
    conn: libvirt.virConnect,
    plan: DeletePlan,
    delete_sources: list[str],
    backup_dir: Path | None,
    journal: Journal | None = None,
) -> DeleteOutcome:
    """Delete the domain, then the chosen volumes; every step is reported.

    A dropped link ends it with libvirt's error: ``journal`` says how far
    it got, and ``recheck`` reads what is left once the link is back.
    """
    journal = journal or delete_journal(plan, delete_sources)
    outcome = DeleteOutcome(name=plan.name)
    journal.begin("backup")
    if backup_dir is not None:
        try:
            outcome.backup = write_backup(backup_dir, plan.name, plan.uuid, plan.xml)
        except OSError as exc:
            # Without a copy of the XML nothing is deleted.
            outcome.undefine_error = f"could not keep a copy of the XML in {backup_dir}: {exc}"
            return outcome
    journal.done("backup")
    try:
        dom = conn.lookupByUUIDString(plan.uuid)
        if dom.isActive():
            journal.begin("force off")
            dom.destroy()
            journal.done("force off")
            outcome.forced_off = True
        else:
            journal.skip("force off")
        journal.begin("undefine")
        if dom.isPersistent():
            flags = _undefine_flags(dom, plan.xml)
            if flags:
                dom.undefineFlags(flags)
            else:
                dom.undefine()
        journal.done("undefine")
        outcome.undefined = True
    except libvirt.libvirtError as exc:
        if _lost(exc):
            raise
        if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            outcome.undefined = True  # someone else removed it meanwhile
        else:
            outcome.undefine_error = exc.get_error_message() or str(exc)
            return outcome  # never touch storage of a domain that still exists
    _delete_volumes(conn, plan, delete_sources, outcome, journal)
    return outcome


def _delete_volumes(
    conn: libvirt.virConnect,
    plan: DeletePlan,
    delete_sources: list[str],
    outcome: DeleteOutcome,
    journal: Journal,
) -> None:
    by_source = {c.disk.source: c for c in plan.choices}
    for source in delete_sources:
        choice = by_source.get(source)
        if choice is None or not choice.deletable:
            outcome.failed.append((source, "not a disk of this domain that can be deleted"))
            continue
        key = f"delete:{source}"
        journal.plan(Step(key))
        journal.begin(key)
        vol = _volume(conn, choice.disk)
        if vol is None:
            outcome.failed.append((source, "no storage volume has this path"))
            continue
        try:
            vol.delete(0)
        except libvirt.libvirtError as exc:
            if _lost(exc):
                raise
            outcome.failed.append((source, exc.get_error_message() or str(exc)))
        else:
            journal.done(key)
            outcome.deleted.append(source)


@dataclass(frozen=True, slots=True)
class DeleteCheck:
    """What is left after a deletion cut by a dropped link, as a re-read found it."""

    name: str
    domain_exists: bool  # still defined (or running)
    volumes_left: tuple[str, ...]  # chosen volumes that still exist
    volumes_gone: tuple[str, ...]  # chosen volumes that no longer exist


def recheck(
    conn: libvirt.virConnect, plan: DeletePlan, delete_sources: list[str], _journal: Journal
) -> DeleteCheck:
    """After a dropped link: is the domain still there, which chosen volumes are?"""
    try:
        conn.lookupByUUIDString(plan.uuid)
        exists = True
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise
        exists = False
    by_source = {c.disk.source: c for c in plan.choices}
    left: list[str] = []
    gone: list[str] = []
    for source in delete_sources:
        choice = by_source.get(source)
        if choice is None:
            continue
        (left if _volume(conn, choice.disk) is not None else gone).append(source)
    return DeleteCheck(plan.name, exists, tuple(left), tuple(gone))


def delete_volumes(
    conn: libvirt.virConnect, plan: DeletePlan, delete_sources: list[str]
) -> DeleteOutcome:
    """Delete chosen volumes of a domain that is already gone (after a cut deletion).

    Refused, deleting nothing, while the domain still exists.
    """
    outcome = DeleteOutcome(name=plan.name)
    try:
        conn.lookupByUUIDString(plan.uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise
    else:
        outcome.undefine_error = "the virtual machine still exists"
        return outcome
    outcome.undefined = True
    _delete_volumes(conn, plan, delete_sources, outcome, delete_journal(plan, delete_sources))
    return outcome
