"""The command lines of the long operations (snapshots, clone, upload) for the command log.

Snapshots and uploads are ``virsh``; a clone is ``virt-clone``, which makes
the same choices kvmdesk offers (``--skip-copy`` for a skipped or shared
disk, ``--mac`` for a chosen MAC; read-only and shareable disks stay
shared by themselves). Every name follows the option that takes it.
"""

from __future__ import annotations

from kvmdesk.domxml.secrets import without_secrets
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
