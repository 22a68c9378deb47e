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
import re
from pathlib import Path

import libvirt

from kvmdesk.virt.delete_extras import gather_extras, undefine_flags
from kvmdesk.virt.delete_outcome import DeleteCheck, DeleteOutcome, NotDone, Part, Piece
from kvmdesk.virt.delete_plan import DeletePlan, Keep, Role, StorageChoice, plan_delete
from kvmdesk.virt.errors import ErrorKind, classify
from kvmdesk.virt.steps import Journal, Step
from kvmdesk.virt.storage_identity import StorageFile, StorageIndex, other_uses, uses_of

# The plan and the outcome live in their own modules; they are named here too,
# where the deletion is.
__all__ = [
    "DeleteCheck",
    "DeleteOutcome",
    "DeletePlan",
    "Keep",
    "NotDone",
    "Part",
    "Piece",
    "Role",
    "StorageChoice",
    "delete_journal",
    "delete_volumes",
    "execute_delete",
    "plan_delete",
    "recheck",
    "write_backup",
]


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
