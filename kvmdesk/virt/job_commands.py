"""The command lines of the long operations (snapshots, clone, upload, migrate) for the command log.

Snapshots and uploads are ``virsh``; a clone is ``virt-clone``, which makes
the same choices kvmdesk offers (``--file`` for each copied disk,
``--skip-copy`` for a disk kept shared, ``--mac`` for chosen MACs; read-only
and shareable disks stay shared by themselves). Every name follows the
option that takes it.
"""

from __future__ import annotations

import posixpath

from kvmdesk.domxml.secrets import without_secrets
from kvmdesk.virt import migrate as mig
from kvmdesk.virt.clone import ClonePlan, CloneRequest, DiskAction, new_volume_names
from kvmdesk.virt.commands import (
    Command,
    Note,
    file_name,
    joined,
    noted,
    safe_uri,
    virsh,
    with_file,
)
from kvmdesk.virt.snapshots import Mode


def snapshot_create(
    uri: str,
    domain: str,
    name: str,
    description: str,
    mode: Mode,
    disk_parts: list[tuple[str, str]] | None = None,
) -> Command:
    """``snapshot-create-as``; a disk-only one names each disk's part
    (``snapshots.disk_only_parts``) as kvmdesk's snapshot XML does."""
    args = ["snapshot-create-as", "--domain", domain, "--name", name]
    if description:
        args += ["--description", description]
    if mode is Mode.DISK_ONLY:
        args.append("--disk-only")
        for target, kind in disk_parts or []:
            # virsh splits a diskspec at commas; a doubled comma is a comma.
            args += ["--diskspec", f"{target.replace(',', ',,')},snapshot={kind}"]
    return virsh(uri, *args, "--atomic")


def snapshot_revert(uri: str, domain: str, name: str) -> Command:
    return virsh(uri, "snapshot-revert", "--domain", domain, "--snapshotname", name)


def snapshot_delete(
    uri: str, domain: str, name: str, *, children: bool, metadata_only: bool
) -> Command:
    args = ["snapshot-delete", "--domain", domain, "--snapshotname", name]
    if children:
        args.append("--children")
    if metadata_only:
        args.append("--metadata")
    return virsh(uri, *args)


def snapshot_redefine(uri: str, domain: str, name: str, xml: str, *, current: bool) -> Command:
    """A snapshot's changed metadata stored again: ``snapshot-create --redefine``
    of the file (``snapshot-edit`` would open an editor). A display password
    in the domain definition it holds is left out of the file, and noted."""
    path = file_name(name, ".snapshot.xml")
    args = ["snapshot-create", "--domain", domain, "--xmlfile", path, "--redefine"]
    if current:
        args.append("--current")
    clean = without_secrets(xml)
    command = with_file(virsh(uri, *args), path, clean)
    return noted(command, Note.PASSWORD_LEFT_OUT) if clean != xml else command


def vol_upload(uri: str, pool: str, name: str, path: str, size: int) -> Command:
    return joined(
        [
            virsh(
                uri,
                "vol-create-as",
                "--pool",
                pool,
                "--name",
                name,
                "--capacity",
                f"{size}b",
                "--format",
                "raw",
            ),
            virsh(uri, "vol-upload", "--pool", pool, "--vol", name, "--file", path),
        ]
    )


def virt_clone(uri: str, plan: ClonePlan, request: CloneRequest) -> Command:
    """``virt-clone`` doing what the Clone dialog chose, each option as
    ``--option=value`` (a name that starts with ``-`` stays a value).

    One ``--file=`` per disk kvmdesk copies, in the order of the disks
    (virt-clone gives them to its disks to copy in that order), with the
    path of the volume kvmdesk makes; ``--skip-copy=`` for a disk kept
    shared that virt-clone would copy. A source paused for the copy is
    suspended before and resumed after, as kvmdesk does. A skipped disk
    (left out of the clone) has no virt-clone option: said plainly.
    """
    shown, removed = safe_uri(uri)
    argv = ["virt-clone", f"--connect={shown}", f"--original={plan.name}", f"--name={request.name}"]
    names = new_volume_names(plan, request)
    skipped = False
    for disk in plan.disks:
        action = request.actions.get(disk.target, disk.default_action)
        if disk.target in names:
            argv.append(
                f"--file={posixpath.join(posixpath.dirname(disk.source), names[disk.target])}"
            )
        elif not disk.shared:
            argv.append(f"--skip-copy={disk.target}")
        skipped = skipped or action is DiskAction.SKIP
    macs = [mac.strip().lower() for mac in request.macs]
    # virt-clone takes a MAC for every card or for none (then random ones).
    some_macs = any(macs) and not all(macs)
    if all(macs):
        argv += [f"--mac={mac}" for mac in macs]
    notes = frozenset({Note.SECRET_REMOVED}) if removed else frozenset()
    command = Command((tuple(argv),), notes=notes)
    if plan.running and request.pause:
        command = joined(
            [
                virsh(uri, "suspend", "--domain", plan.name),
                command,
                virsh(uri, "resume", "--domain", plan.name),
            ]
        )
    if skipped or some_macs or (plan.running and not request.pause):
        # virt-clone keeps every disk, takes all MACs or none, and copies
        # only a paused or shut-off source.
        command = noted(command, Note.NO_SINGLE_COMMAND)
    return command


def migrate(uri: str, name: str, request: mig.MigrateRequest) -> Command:
    """``virsh migrate`` with the dialog's options; an edited definition is a file."""
    dest, removed = safe_uri(request.dest_uri)
    args = ["migrate", "--domain", name, "--desturi", dest]
    if request.mode is mig.Mode.LIVE:
        args.append("--live")
    if request.mode is mig.Mode.OFFLINE:
        args.append("--offline")
    if request.peer2peer or request.tunnelled:
        args.append("--p2p")
    if request.tunnelled:
        args.append("--tunnelled")
    if request.storage is mig.Storage.FULL:
        args.append("--copy-storage-all")
    if request.storage is mig.Storage.INCREMENTAL:
        args.append("--copy-storage-inc")
    if request.persistent or request.mode is mig.Mode.OFFLINE:
        args.append("--persistent")
    if request.undefine_source:
        args.append("--undefinesource")
    if request.unsafe:
        args.append("--unsafe")
    if request.bandwidth > 0:
        args += ["--bandwidth", str(request.bandwidth)]
    if request.address and not request.tunnelled:
        args += ["--migrateuri", mig.migration_uri(request.address)]
    path = ""
    if request.xml:
        new_name = mig.dest_name(request.xml)
        if new_name and new_name != name:
            args += ["--dname", new_name]
        path = file_name(new_name or name)
        args += ["--xml", path]
    command = virsh(uri, *args)
    if path:
        clean = without_secrets(request.xml)
        command = with_file(command, path, clean)
        if clean != request.xml:
            command = noted(command, Note.PASSWORD_LEFT_OUT)
    if removed:
        command = noted(command, Note.SECRET_REMOVED)
    return command
