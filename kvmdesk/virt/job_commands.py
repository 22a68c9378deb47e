"""The command lines of the long operations (snapshots, clone, upload, migrate) for the command log.

Snapshots and uploads are ``virsh``; a clone is ``virt-clone``, which makes
the same choices kvmdesk offers (``--skip-copy`` for a skipped or shared
disk, ``--mac`` for a chosen MAC; read-only and shareable disks stay
shared by themselves). Every name follows the option that takes it.
"""

from __future__ import annotations

from kvmdesk.domxml.secrets import without_secrets
from kvmdesk.virt import migrate as mig
from kvmdesk.virt.clone import CloneRequest
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


def snapshot_create(uri: str, domain: str, name: str, description: str, mode: Mode) -> Command:
    args = ["snapshot-create-as", "--domain", domain, "--name", name]
    if description:
        args += ["--description", description]
    if mode is Mode.DISK_ONLY:
        args.append("--disk-only")
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


def snapshot_describe(uri: str, domain: str, name: str) -> Command:
    """``snapshot-edit`` opens an editor: the nearest single command, said plainly."""
    command = virsh(uri, "snapshot-edit", "--domain", domain, "--snapshotname", name)
    return noted(command, Note.NO_SINGLE_COMMAND)


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


def virt_clone(
    uri: str, source: str, request: CloneRequest, not_copied: list[str], skipped: bool
) -> Command:
    """``virt-clone`` doing what the Clone dialog chose: ``not_copied`` are the
    targets kept shared or skipped; ``skipped`` when a disk was left out."""
    shown, removed = safe_uri(uri)
    argv = ["virt-clone", "--connect", shown, "--original", source, "--name", request.name]
    argv.append("--auto-clone")
    argv += [f"--skip-copy={target}" for target in sorted(not_copied)]
    for mac in request.macs:
        argv += ["--mac", mac.strip().lower() or "RANDOM"]
    notes = frozenset({Note.SECRET_REMOVED}) if removed else frozenset()
    command = Command((tuple(argv),), notes=notes)
    if skipped:  # virt-clone keeps every disk in the definition; kvmdesk left one out
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
