"""What the delete dialog says of each file and of what the definition takes
with it: the Note column, its tooltip, and the lines about snapshots,
checkpoints and a managed save."""

from __future__ import annotations

import datetime

from kvmdesk.core.messages import tr
from kvmdesk.virt.delete import Keep, Role, StorageChoice
from kvmdesk.virt.delete_extras import Extras
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage_identity import Use


def _users(uses: tuple[Use, ...]) -> str:
    return ", ".join(shown(name) for name in sorted({u.domain for u in uses}))


def how_used(use: Use) -> str:
    """How another machine uses a file: its disk, or a backing chain."""
    if use.backing:
        return tr("{0} (in the backing chain of its {1})").format(shown(use.domain), use.target)
    return tr("{0} (its disk {1})").format(shown(use.domain), use.target)


def keep_note(choice: StorageChoice) -> str:
    """Short words for the Note column: what the file is, and why it is not ticked."""
    keep = choice.keep
    if keep is Keep.SHARED:
        return tr("Needed by {0}").format(_users(choice.uses))
    if keep is Keep.READONLY:
        return tr("Read-only")
    if keep is Keep.SHAREABLE:
        return tr("Shareable")
    if keep is Keep.CDROM:
        if choice.device == "floppy":
            return tr("Floppy (removable media)")
        return tr("CD-ROM (removable media)")
    if keep is Keep.NOT_A_VOLUME:
        return tr("Not a storage volume (cannot be deleted here)")
    if keep is Keep.EMPTY:
        return tr("Empty drive")
    if keep is Keep.BASE_IMAGE:
        return tr("Base image of {0}").format(choice.target)
    if choice.role is Role.BACKING:
        return tr("State before snapshot “{0}”").format(shown(choice.snapshot))
    if choice.role is Role.SNAPSHOT_MEMORY:
        return tr("Memory state of snapshot “{0}”").format(shown(choice.snapshot))
    if choice.role is Role.SNAPSHOT:
        return tr("Made by snapshot “{0}”").format(shown(choice.snapshot))
    return ""


def keep_explanation(choice: StorageChoice) -> str:
    """A longer sentence for the Note column's tooltip."""
    keep = choice.keep
    if keep is Keep.SHARED:
        return tr("Other virtual machines need this file: {0}. Deleting it breaks them.").format(
            ", ".join(how_used(use) for use in choice.uses)
        )
    if keep is Keep.READONLY:
        return tr("The disk is read-only; it is often a base image other machines need.")
    if keep is Keep.SHAREABLE:
        return tr("The disk is marked shareable: other machines may use it.")
    if keep is Keep.CDROM:
        return tr("Installation media and ISO images are usually kept.")
    if keep is Keep.NOT_A_VOLUME:
        return tr(
            "No storage pool of this host manages this path, so kvmdesk cannot delete it. "
            "Remove the file by other means if it is no longer needed."
        )
    if keep is Keep.EMPTY:
        return tr("No medium is inserted in this drive.")
    if keep is Keep.BASE_IMAGE:
        return tr(
            "The disk {0} is an overlay on this file. No other virtual machine of this "
            "host uses it now, but base images are often kept to make new machines from."
        ).format(choice.target)
    if choice.role is Role.BACKING:
        return tr(
            "The disk {0} was this file before the snapshot “{1}”; the disk's image now "
            "builds on it."
        ).format(choice.target, shown(choice.snapshot))
    if choice.role in (Role.SNAPSHOT, Role.SNAPSHOT_MEMORY):
        return tr("A file of the external snapshot “{0}”, used by no other machine.").format(
            shown(choice.snapshot)
        )
    return tr("Only this virtual machine uses this disk.")


def extras_lines(extras: Extras) -> list[str]:
    """What the definition takes with it, one line each (the NVRAM has its own box)."""
    lines = []
    if extras.managed_save:
        lines.append(tr("Its saved memory state (managed save) is removed."))
    for snap in extras.snapshots:
        when = ""
        if snap.created:
            when = datetime.datetime.fromtimestamp(snap.created).strftime("%Y-%m-%d %H:%M")
        if snap.external:
            kind = tr("external: its files are listed under storage")
        else:
            kind = tr("internal: kept in the disk images, and deleted with them")
        lines.append(
            tr("Snapshot “{0}” {1} is removed ({2}).")
            .format(shown(snap.name), when, kind)
            .replace("  ", " ")
        )
    if extras.checkpoints:
        lines.append(tr("Its %n checkpoint(s) are removed.", None, extras.checkpoints))
    return lines
