"""What the snapshot pages say: refusals, bad names, kinds and states, in words."""

from __future__ import annotations

from kvmdesk.core.messages import tr
from kvmdesk.virt.shown import shown
from kvmdesk.virt.snapshots import Limit, Mode, NameProblem, Refusal, SnapshotRecord


def limit_text(limit: Limit) -> str:
    """Why libvirt would refuse, in a sentence a user can act on."""
    if limit.reason is Refusal.RAW_DISK:
        return tr(
            "Disk {0} is not a qcow2 image; internal snapshots live inside qcow2 images. "
            "Take a disk-only snapshot, or convert the disk to qcow2."
        ).format(limit.detail)
    if limit.reason is Refusal.NO_QCOW2_FOR_MEMORY:
        return tr(
            "The running virtual machine has no qcow2 disk to keep its memory in. "
            "Shut it down first, or add a qcow2 disk."
        )
    if limit.reason is Refusal.UEFI_INTERNAL:
        return tr(
            "This virtual machine boots with UEFI firmware in flash memory; internal snapshots "
            "of such machines need libvirt 10.10 or later (the host has {0}). "
            "Take a disk-only snapshot instead."
        ).format(limit.detail)
    if limit.reason is Refusal.NO_DISKS:
        return tr("The virtual machine has no writable disk to take a disk-only snapshot of.")
    return tr(
        "Disk {0} is not a file or block device; libvirt cannot put an overlay on it."
    ).format(limit.detail)


def name_problem_text(problem: NameProblem, name: str) -> str:
    if problem is NameProblem.EMPTY:
        return tr("Enter a name for the snapshot.")
    if problem is NameProblem.SLASH:
        return tr("A snapshot name cannot contain “/”.")
    if problem is NameProblem.CONTROL:
        return tr("A snapshot name cannot contain control or invisible characters.")
    return tr("A snapshot called “{0}” already exists.").format(shown(name))


def mode_title(mode: Mode, running: bool) -> str:
    if mode is Mode.DISK_ONLY:
        return tr("Disk only (external): an overlay file per disk, the memory is not kept")
    if running:
        return tr("Internal, with memory: the disks and the running state, inside the qcow2 images")
    return tr("Internal: the disks of the shut-off virtual machine, inside the qcow2 images")


def kind_text(record: SnapshotRecord) -> str:
    info = record.info
    if info.external:
        return tr("External, with memory") if info.memory_file else tr("External, disks only")
    if info.memory_kind == "internal":
        return tr("Internal, with memory")
    return tr("Internal, disks only")


def state_text(state: str) -> str:
    """The domain's state when the snapshot was taken."""
    return {
        "running": tr("Running"),
        "paused": tr("Paused"),
        "shutoff": tr("Shut off"),
        "disk-snapshot": tr("Running (disks only)"),
        "crashed": tr("Crashed"),
        "pmsuspended": tr("Suspended"),
    }.get(state, state)
