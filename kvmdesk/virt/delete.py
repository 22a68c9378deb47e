"""Deleting a domain in the safe order, with its storage only on request.

Order: keep a copy of the XML (and of each snapshot's), force off if
running, undefine (with the flags its managed save, snapshots, checkpoints
and NVRAM need), and only then delete the chosen volumes through the storage
API. A path that is not a volume of a storage pool is never unlinked: on a
remote host it is not our file system.

A file another domain needs, as its disk or anywhere in its disk's backing
chain, is compared by identity (``storage_identity``), never by the string
a domain happens to use; it is not ticked, says which domain needs it, and
is deleted only when the caller passes it in ``confirmed_shared`` (the
dialog asks a second time). Just before undefining, the other domains are
looked at again: a file that became shared meanwhile is not deleted.

The outcome lists what was removed, what was left (with paths) and what
failed with libvirt's own failure. Every step is recorded in a ``Journal``
(``virt.steps``): a dropped link ends the deletion with libvirt's error, the
journal says how far it got, and ``recheck`` reads what is left once the
link is back.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

import libvirt

from kvmdesk.domxml.domain import Disk, parse_domain
from kvmdesk.virt.delete_extras import Extras, gather_extras, undefine_flags
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.steps import Journal, Step
from kvmdesk.virt.storage_identity import (
    StorageFile,
    StorageIndex,
    Use,
    domain_files,
    other_uses,
    uses_of,
)


class Keep(enum.Enum):
    """Why a file is not ticked for deletion by default."""

    NONE = "none"  # ticked
    SHARED = "shared"  # another domain needs it (its disk, or in its backing chain)
    READONLY = "readonly"
    SHAREABLE = "shareable"
    CDROM = "cdrom"
    BASE_IMAGE = "base_image"  # a backing file this domain's snapshots did not make
    NOT_A_VOLUME = "not_a_volume"  # not managed by a storage pool: cannot be deleted
    EMPTY = "empty"


class Role(enum.Enum):
    """What a listed file is to the domain."""

    DISK = "disk"  # the image a disk uses now
    BACKING = "backing"  # below a disk's image in its backing chain
    SNAPSHOT = "snapshot"  # made by an external snapshot, in no disk's chain now
    SNAPSHOT_MEMORY = "snapshot_memory"  # the memory state of an external snapshot


@dataclass(frozen=True, slots=True)
class StorageChoice:
    path: str  # as the domain names it ("pool/volume" for a volume reference)
    target: str  # the disk it belongs to (vda), "" for a snapshot's memory state
    role: Role
    keep: Keep
    device: str = "disk"
    uses: tuple[Use, ...] = ()  # other domains that need it
    snapshot: str = ""  # the snapshot that made it, when known
    disk: Disk | None = None  # the domain's disk it belongs to

    @property
    def default_selected(self) -> bool:
        return self.keep is Keep.NONE

    @property
    def deletable(self) -> bool:
        return self.keep not in (Keep.NOT_A_VOLUME, Keep.EMPTY)

    @property
    def shared_with(self) -> tuple[str, ...]:
        return tuple(sorted({use.domain for use in self.uses}))


@dataclass(frozen=True, slots=True)
class DeletePlan:
    uuid: str
    name: str
    xml: str
    active: bool
    choices: tuple[StorageChoice, ...]
    extras: Extras = field(default_factory=Extras)

    def choice(self, path: str) -> StorageChoice | None:
        return next((c for c in self.choices if c.path == path), None)


class Part(enum.Enum):
    """What a deletion removes or leaves."""

    DEFINITION = "definition"
    MANAGED_SAVE = "managed_save"
    SNAPSHOT = "snapshot"  # its metadata; ``name`` is the snapshot's
    CHECKPOINTS = "checkpoints"
    NVRAM = "nvram"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Piece:
    part: Part
    path: str = ""
    name: str = ""  # a snapshot's name, or the disk target a file belongs to


@dataclass(frozen=True, slots=True)
class NotDone:
    piece: Piece
    reason: str  # plain words, libvirt's own when it refused
    failure: Failure | None = None  # the classified libvirt failure, if any


@dataclass(slots=True)
class DeleteOutcome:
    name: str
    uuid: str = ""
    backup: Path | None = None
    forced_off: bool = False
    undefined: bool = False
    undefine_error: str = ""
    undefine_failure: Failure | None = None
    removed: list[Piece] = field(default_factory=list)
    left: list[Piece] = field(default_factory=list)
    not_done: list[NotDone] = field(default_factory=list)

    @property
    def deleted(self) -> list[str]:
        """Paths of the files deleted."""
        return [p.path for p in self.removed if p.part is Part.FILE]

    @property
    def failed(self) -> list[tuple[str, str]]:
        """(path, reason) of each chosen file that was not deleted."""
        return [(n.piece.path, n.reason) for n in self.not_done if n.piece.part is Part.FILE]

    @property
    def complete(self) -> bool:
        return self.undefined and not self.not_done


# -- the plan --------------------------------------------------------------------


def _snapshot_made(extras: Extras) -> dict[str, str]:
    """Files this domain's external snapshots made or took over: path -> snapshot."""
    made: dict[str, str] = {}
    for snap in extras.snapshots:
        for disk in snap.disks:
            if disk.kind == "external":
                for path in (disk.file, disk.before):
                    if path:
                        made.setdefault(path, snap.name)
    return made


def _keep(
    file: StorageFile | None, disk: Disk | None, role: Role, uses: tuple[Use, ...], ours: bool
) -> Keep:
    if file is None:
        return Keep.EMPTY if disk is not None and not disk.source else Keep.NOT_A_VOLUME
    if not file.is_volume:
        return Keep.NOT_A_VOLUME  # checked first: such a file can never be deleted here
    if disk is not None and disk.device in ("cdrom", "floppy") and role is Role.DISK:
        return Keep.CDROM
    if uses:
        return Keep.SHARED
    if role is Role.BACKING and not ours:
        return Keep.BASE_IMAGE
    if disk is not None and role is Role.DISK and disk.readonly:
        return Keep.READONLY
    if disk is not None and role is Role.DISK and disk.shareable:
        return Keep.SHAREABLE
    return Keep.NONE


def _own_disks(
    dom: libvirt.virDomain, xml: str, index: StorageIndex
) -> list[tuple[Disk, StorageFile | None, list[StorageFile]]]:
    """The domain's disks: its next-boot ones, then any only the running one has."""
    own = domain_files(index, xml)
    if dom.isActive() and dom.isPersistent():
        known = [top for _d, top, _c in own if top is not None]
        for disk, top, chain in domain_files(index, dom.XMLDesc(0)):
            if top is None or not any(top.same_as(k) for k in known):
                if top is not None or not any(d.target == disk.target for d, _t, _c in own):
                    own.append((disk, top, chain))
            else:  # the running definition knows the chain; the inactive one may not
                for i, (d, t, c) in enumerate(own):
                    if t is not None and t.same_as(top) and len(chain) > len(c):
                        own[i] = (d, t, chain)
    return own


def plan_delete(conn: libvirt.virConnect, uuid: str) -> DeletePlan:
    dom = conn.lookupByUUIDString(uuid)
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE if dom.isPersistent() else 0)
    cfg = parse_domain(xml)
    extras = gather_extras(dom, xml)
    index = StorageIndex(conn)
    own = _own_disks(dom, xml, index)
    uses = other_uses(conn, index, uuid)
    made = _snapshot_made(extras)

    choices: list[StorageChoice] = []
    listed: list[StorageFile] = []

    def add(
        path: str, file: StorageFile | None, disk: Disk | None, role: Role, snapshot: str = ""
    ) -> None:
        if file is not None:
            if role is not Role.DISK and any(file.same_as(seen) for seen in listed):
                return  # one row per file below the disks, however many names it has
            listed.append(file)
        found = uses_of(file, uses) if file is not None else ()
        ours = bool(snapshot) or path in made
        choices.append(
            StorageChoice(
                path=path,
                target=disk.target if disk is not None else "",
                role=role,
                keep=_keep(file, disk, role, found, ours),
                device=disk.device if disk is not None else "disk",
                uses=found,
                snapshot=snapshot or made.get(path, ""),
                disk=disk,
            )
        )

    for disk, top, chain in own:
        add(disk.source, top, disk, Role.DISK)
        for below in chain:
            add(below.path, below, disk, Role.BACKING)
    for snap in extras.snapshots:
        for path in snap.files:
            role = Role.SNAPSHOT_MEMORY if path == snap.memory_file else Role.SNAPSHOT
            add(path, index.file(path) if path.startswith("/") else None, None, role, snap.name)
    return DeletePlan(
        uuid=uuid,
        name=cfg.name,
        xml=xml,
        active=bool(dom.isActive()),
        choices=tuple(choices),
        extras=extras,
    )


# -- the deletion -----------------------------------------------------------------


def _safe_file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "domain"


def write_backup(
    backup_dir: Path,
    name: str,
    uuid: str,
    xml: str,
    snapshots: tuple[tuple[str, str], ...] = (),
) -> Path:
    """Write the definition (and each snapshot's XML next to it); the definition's path."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = f"{_safe_file_name(name)}-{uuid[:8]}-{stamp}"
    path = backup_dir / f"{stem}.xml"
    path.write_text(xml, encoding="utf-8")
    for i, (snap_name, snap_xml) in enumerate(snapshots, 1):
        snap_file = backup_dir / f"{stem}.snapshot-{i}-{_safe_file_name(snap_name)}.xml"
        snap_file.write_text(snap_xml, encoding="utf-8")
    return path


def _what_goes_with_the_definition(
    plan: DeletePlan, keep_nvram: bool
) -> tuple[list[Piece], list[Piece]]:
    extras = plan.extras
    removed = [Piece(Part.DEFINITION, name=plan.name)]
    left: list[Piece] = []
    if extras.managed_save:
        removed.append(Piece(Part.MANAGED_SAVE))
    removed += [Piece(Part.SNAPSHOT, name=s.name) for s in extras.snapshots]
    if extras.checkpoints:
        removed.append(Piece(Part.CHECKPOINTS, name=str(extras.checkpoints)))
    if extras.has_nvram:
        (left if keep_nvram else removed).append(Piece(Part.NVRAM, path=extras.nvram))
    return removed, left


def _volume_now(index: StorageIndex, choice: StorageChoice) -> StorageFile | None:
    disk = choice.disk
    if choice.role is Role.DISK and disk is not None:
        return index.of_disk(disk)
    return index.file(choice.path) if choice.path.startswith("/") else None


def _check_shared_again(
    conn: libvirt.virConnect,
    plan: DeletePlan,
    chosen: list[StorageChoice],
    confirmed_shared: set[str],
    index: StorageIndex,
    outcome: DeleteOutcome,
) -> list[tuple[StorageChoice, StorageFile]]:
    """The chosen files that may still be deleted; the others are reported."""
    uses = other_uses(conn, index, plan.uuid)
    keep: list[tuple[StorageChoice, StorageFile]] = []
    for choice in chosen:
        piece = Piece(Part.FILE, choice.path, choice.target)
        file = _volume_now(index, choice)
        if file is None or file.volume is None:
            outcome.not_done.append(NotDone(piece, "no storage volume has this path"))
            continue
        if any(file.same_as(other) for _c, other in keep):
            continue  # two disks of this domain with one file: deleted once
        needed = uses_of(file, uses)
        if needed and choice.path not in confirmed_shared:
            names = ", ".join(sorted({u.domain for u in needed}))
            outcome.not_done.append(NotDone(piece, f"needed by {names}; not confirmed"))
            continue
        keep.append((choice, file))
    return keep


def _undefine_failed(outcome: DeleteOutcome, exc: libvirt.libvirtError) -> DeleteOutcome:
    outcome.undefine_failure = classify(exc)
    outcome.undefine_error = exc.get_error_message() or str(exc)
    # No file is touched: the reasons some would not have been are moot.
    outcome.not_done = [n for n in outcome.not_done if n.piece.part is not Part.FILE]
    return outcome


def _lost(exc: libvirt.libvirtError) -> bool:
    return classify(exc).kind is ErrorKind.CONNECTION_LOST


def delete_journal(plan: DeletePlan, delete_sources: list[str]) -> Journal:
    """The steps of ``execute_delete``: backup, force off, undefine, each file."""
    # "force off" is dropped at run time when the domain turns out not to run.
    steps = [Step("backup", writes=False), Step("force off"), Step("undefine")]
    steps += [Step(f"delete:{source}") for source in delete_sources]
    return Journal(steps)


def _chosen(
    plan: DeletePlan, delete_sources: list[str], outcome: DeleteOutcome
) -> list[StorageChoice]:
    chosen: list[StorageChoice] = []
    for path in delete_sources:
        choice = plan.choice(path)
        if choice is None or not choice.deletable:
            piece = Piece(Part.FILE, path)
            outcome.not_done.append(NotDone(piece, "not a file of this domain that can be deleted"))
        elif choice not in chosen:
            chosen.append(choice)
    return chosen


def _delete_files(
    to_delete: list[tuple[StorageChoice, StorageFile]], outcome: DeleteOutcome, journal: Journal
) -> None:
    for choice, file in to_delete:
        piece = Piece(Part.FILE, choice.path, choice.target)
        key = f"delete:{choice.path}"
        journal.plan(Step(key))
        journal.begin(key)
        assert file.volume is not None
        try:
            file.volume.delete(0)
        except libvirt.libvirtError as exc:
            if _lost(exc):
                raise
            failure = classify(exc)
            outcome.not_done.append(NotDone(piece, exc.get_error_message() or str(exc), failure))
        else:
            journal.done(key)
            outcome.removed.append(piece)


def execute_delete(
    conn: libvirt.virConnect,
    plan: DeletePlan,
    delete_sources: list[str],
    backup_dir: Path | None,
    journal: Journal | None = None,
    *,
    keep_nvram: bool = False,
    confirmed_shared: list[str] | None = None,
) -> DeleteOutcome:
    """Delete the domain, then the chosen files; every step is reported.

    ``delete_sources`` are ``StorageChoice.path`` values; a file another
    domain needs is deleted only if its path is in ``confirmed_shared`` too.
    A dropped link ends it with libvirt's error: ``journal`` says how far it
    got, and ``recheck`` reads what is left once the link is back.
    """
    journal = journal or delete_journal(plan, delete_sources)
    outcome = DeleteOutcome(name=plan.name, uuid=plan.uuid)
    confirmed = set(confirmed_shared or ())
    journal.begin("backup")
    if backup_dir is not None:
        try:
            outcome.backup = write_backup(
                backup_dir, plan.name, plan.uuid, plan.xml, plan.extras.snapshot_xml
            )
        except OSError as exc:
            # Without a copy of the XML nothing is deleted.
            outcome.undefine_error = f"could not keep a copy of the XML in {backup_dir}: {exc}"
            return outcome
    journal.done("backup")

    chosen = _chosen(plan, delete_sources, outcome)
    index = StorageIndex(conn)
    try:
        to_delete = _check_shared_again(conn, plan, chosen, confirmed, index, outcome)
    except libvirt.libvirtError as exc:
        if _lost(exc):
            raise
        return _undefine_failed(outcome, exc)  # nothing was changed
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
            # Looked at again: a snapshot or a managed save made meanwhile counts too.
            extras = gather_extras(dom, plan.xml)
            flags = undefine_flags(extras, keep_nvram)
            if flags:
                dom.undefineFlags(flags)
            else:
                dom.undefine()
            plan = DeletePlan(plan.uuid, plan.name, plan.xml, plan.active, plan.choices, extras)
        journal.done("undefine")
        outcome.undefined = True
    except libvirt.libvirtError as exc:
        if _lost(exc):
            raise
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            return _undefine_failed(outcome, exc)  # never touch storage of a domain that exists
        outcome.undefined = True  # someone else removed it meanwhile
    removed, left = _what_goes_with_the_definition(plan, keep_nvram)
    outcome.removed += removed
    outcome.left += left
    for source in delete_sources:
        if all(source != c.path for c, _f in to_delete):
            journal.skip(f"delete:{source}")  # refused above: never started
    _delete_files(to_delete, outcome, journal)
    handled = {c.path for c, _f in to_delete} | {n.piece.path for n in outcome.not_done}
    for choice in plan.choices:
        if choice.path not in handled and choice.keep is not Keep.EMPTY:
            outcome.left.append(Piece(Part.FILE, choice.path, choice.target))
    return outcome


@dataclass(frozen=True, slots=True)
class DeleteCheck:
    """What is left after a deletion cut by a dropped link, as a re-read found it."""

    name: str
    domain_exists: bool  # still defined (or running)
    volumes_left: tuple[str, ...]  # chosen files that still exist
    volumes_gone: tuple[str, ...]  # chosen files that no longer exist


def _exists(conn: libvirt.virConnect, uuid: str) -> bool:
    try:
        conn.lookupByUUIDString(uuid)
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise
        return False
    return True


def recheck(
    conn: libvirt.virConnect, plan: DeletePlan, delete_sources: list[str], _journal: Journal
) -> DeleteCheck:
    """After a dropped link: is the domain still there, which chosen files are?"""
    exists = _exists(conn, plan.uuid)
    index = StorageIndex(conn)
    left: list[str] = []
    gone: list[str] = []
    for source in delete_sources:
        choice = plan.choice(source)
        if choice is None:
            continue
        file = _volume_now(index, choice)
        (left if file is not None and file.is_volume else gone).append(source)
    return DeleteCheck(plan.name, exists, tuple(left), tuple(gone))


def delete_volumes(
    conn: libvirt.virConnect,
    plan: DeletePlan,
    delete_sources: list[str],
    confirmed_shared: list[str] | None = None,
) -> DeleteOutcome:
    """Delete chosen files of a domain that is already gone (after a cut deletion).

    Refused, deleting nothing, while the domain still exists; a file another
    domain needs now goes only if it was confirmed.
    """
    outcome = DeleteOutcome(name=plan.name, uuid=plan.uuid)
    if _exists(conn, plan.uuid):
        outcome.undefine_error = "the virtual machine still exists"
        return outcome
    outcome.undefined = True
    chosen = _chosen(plan, delete_sources, outcome)
    index = StorageIndex(conn)
    confirmed = set(confirmed_shared or ())
    to_delete = _check_shared_again(conn, plan, chosen, confirmed, index, outcome)
    _delete_files(to_delete, outcome, delete_journal(plan, delete_sources))
    return outcome
