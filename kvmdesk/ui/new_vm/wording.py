"""The New VM wizard's sentences: refused input and what a creation left behind."""

from __future__ import annotations

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, lost_text
from kvmdesk.virt.provision import (
    HostDevice,
    PathCheck,
    PlanInputError,
    ProvisionCheck,
    ProvisionOutcome,
    Step,
)
from kvmdesk.virt.storage import GIB


def gib(size: int) -> str:
    return tr("{0} GiB").format(f"{size / GIB:,.1f}")


def used_disk_text(checked: PathCheck) -> str:
    """The warning for a disk image other domains already use."""
    users = ", ".join(checked.used_by)
    if checked.target and checked.target != checked.path:
        return tr("“{0}” leads to {1}, which is already a disk of: {2}.").format(
            checked.path, checked.target, users
        )
    return tr("“{0}” is already a disk of: {1}.").format(checked.path, users)


def _device_uses(device: HostDevice) -> list[str]:
    uses = [tr("{0} is mounted on {1}").format(dev, point) for dev, point in device.mounted]
    uses += [tr("{0} is used as swap").format(dev) for dev in device.swap]
    uses += [tr("{0} is built on it").format(holder) for holder in device.holders]
    if device.busy and not uses:
        uses.append(tr("the kernel keeps it open"))
    return uses


def host_device_text(checked: PathCheck) -> str:
    """The warning for a path that is (or leads to) a block device of the host; "" if none."""
    device = checked.device
    if device is None:
        if not checked.block:
            return ""
        return tr(
            "“{0}” is a block device of the host ({1}). kvmdesk cannot see from here whether "
            "the host uses it: make sure nothing else does."
        ).format(checked.path, checked.target or checked.path)
    where = (
        tr("“{0}”").format(device.device)
        if checked.path == device.device
        else tr("“{0}” (that is {1})").format(checked.path, device.device)
    )
    if device.in_use:
        uses = messages.join_list(_device_uses(device))
        if device.whole_disk:
            text = tr(
                "Warning: {0} is a whole disk of this host, and the host uses it: {1}. "
                "A virtual machine that writes to it can destroy the host's data."
            )
        else:
            text = tr(
                "Warning: {0} is a partition of this host's disk, and the host uses it: {1}. "
                "A virtual machine that writes to it can destroy the host's data."
            )
        return text.format(where, uses)
    if device.whole_disk:
        text = tr(
            "{0} is a whole disk of this host. The virtual machine gets all of it; "
            "the host must not use it meanwhile."
        )
    else:
        text = tr(
            "{0} is a partition of this host's disk. The virtual machine gets all of it; "
            "the host must not use it meanwhile."
        )
    return text.format(where)


def endangers_host(checked: PathCheck) -> bool:
    """The path leads to a disk of this host that the host uses: warn loudly."""
    return checked.device is not None and checked.device.in_use


def path_warnings(checked: PathCheck, *, media: bool = False) -> list[str]:
    """Warnings for a path a VM is about to get: a host device, another VM's disk.

    ``media``: install media, which VMs share and which may be a host's
    CD-ROM drive; only a device the host uses is worth a word then.
    """
    warnings = []
    device_text = host_device_text(checked)
    if device_text and (not media or (checked.device is not None and checked.device.in_use)):
        warnings.append(device_text)
    if checked.used_by and not media:
        warnings.append(used_disk_text(checked))
    return warnings


def input_message(error: PlanInputError) -> str:
    """A refused input as one plain sentence (host text quoted, never markup)."""
    detail = error.detail
    if error.field in ("memory", "vcpus"):
        what = {"memory": tr("Memory"), "vcpus": tr("CPUs")}[error.field]
        above = (
            tr("Memory: this host has at most {0} MiB.")
            if error.field == "memory"
            else tr("CPUs: this host has at most {0}.")
        )
        numbers = {
            "invalid": tr("{0}: enter a whole number, like 2048 (not “{1}”).").format(what, detail),
            "negative": tr("{0} cannot be negative.").format(what),
            "zero": tr("{0} must be at least 1.").format(what),
            "above": above.format(error.limit),
        }
        return numbers.get(error.reason, tr("{0}: “{1}” is refused.").format(what, detail))
    templates = {
        ("name", "empty"): tr("Enter a name for the virtual machine."),
        ("name", "long"): tr("The name is too long: at most {0} characters.").format(error.limit),
        ("name", "slash"): tr("A name cannot contain “/”."),
        ("name", "dash"): tr("A name cannot start with “-”."),
        ("name", "control"): tr("A name cannot contain line breaks or control characters."),
        ("name", "markup"): tr("A name cannot contain < > & \" or '."),
        ("name", "hidden"): tr(
            "A name cannot contain invisible characters or characters that change the "
            "direction of text: {0}."
        ).format(detail),
        ("name", "space"): tr("A name cannot start or end with a space."),
        ("name", "taken"): tr("The name “{0}” is already taken on this host.").format(detail),
        ("size", "invalid"): tr("Disk size: enter a number of GiB, like 20 (not “{0}”).").format(
            detail
        ),
        ("size", "negative"): tr("The disk size cannot be negative."),
        ("size", "zero"): tr("The disk size must be larger than zero."),
        ("size", "space"): tr("The storage pool has only {0} free.").format(gib(error.limit)),
        ("path", "empty"): tr("Enter a path."),
        ("path", "relative"): tr("Enter an absolute path, starting with “/”: “{0}”.").format(
            detail
        ),
        ("path", "dotdot"): tr("The path cannot contain “..”: “{0}”.").format(detail),
        ("path", "control"): tr("The path cannot contain line breaks or control characters."),
        ("path", "missing"): tr("There is no file “{0}”.").format(detail),
        ("path", "not_volume"): tr(
            "“{0}” is not in a storage pool of the host. On a remote host, choose the "
            "file from a storage pool."
        ).format(detail),
        ("pool", "missing"): tr("The storage pool “{0}” no longer exists.").format(detail),
        ("pool", "inactive"): tr("The storage pool “{0}” is not running. Start it first.").format(
            detail
        ),
        ("format", "invalid"): tr("Disk images can be qcow2 or raw, not “{0}”.").format(detail),
    }
    return templates.get(
        (error.field, error.reason), tr("“{0}” is refused ({1}).").format(detail, error.reason)
    )


def outcome_text(outcome: ProvisionOutcome) -> tuple[str, str]:
    """(what failed, what exists now) for a creation that did not finish."""
    name = outcome.name
    step = outcome.failed_step
    if step is Step.VOLUME:
        head = tr("Could not create the disk image {0}.").format(outcome.failed_item)
    elif step is Step.DEFINE:
        head = tr("The host refused the definition of “{0}”.").format(name)
    elif step is Step.START:
        head = tr("“{0}” was created but could not be started.").format(name)
    else:
        head = tr("Could not create “{0}”.").format(name)
    if outcome.input_error is not None:
        head = messages.sentences(head, input_message(outcome.input_error))
    elif outcome.failure is not None:
        head = messages.sentences(head, messages.failure_summary(outcome.failure))
        if outcome.failure.message:
            head += "\n" + tr("libvirt: {0}").format(outcome.failure.message)
    now: list[str] = []
    if outcome.domain_exists:
        now.append(
            tr("The virtual machine “{0}” still exists: {1}").format(name, outcome.undefine_error)
        )
    elif outcome.undefined:
        now.append(tr("The definition of “{0}” was removed again.").format(name))
    for label in outcome.removed:
        now.append(tr("The new disk image {0} was deleted again.").format(label))
    for label, why in outcome.leftover:
        now.append(tr("The disk image {0} may still exist: {1}").format(label, why))
    if not outcome.defined and not outcome.created:
        now.append(tr("Nothing was created."))
    elif not outcome.domain_exists and not outcome.leftover:
        now.append(tr("Nothing of it is left on the host; existing disks were not touched."))
    else:
        now.append(tr("Existing disks were not touched."))
    return head, "\n".join(now)


def step_names(volumes: list[str], name: str) -> dict[str, str]:
    """Words for the steps of a creation (``provision_journal``)."""
    names = {
        "check": tr("checking the plan with the host"),
        "define": tr("defining “{0}”").format(name),
        "start": tr("starting “{0}”").format(name),
    }
    for label in volumes:
        names[f"volume:{label}"] = tr("creating the disk image {0}").format(label)
    return names


def lost_link_text(lost: LinkLost[ProvisionCheck], names: dict[str, str]) -> tuple[str, str]:
    """(what happened, what exists now) for a creation cut by a dropped link."""
    head = lost_text(lost, names)
    check = lost.state
    if check is None:
        return head, tr(
            "The new disk images and the virtual machine may or may not exist: look at the "
            "host's storage pools and virtual machines once it is back."
        )
    now = [tr("After reconnecting, kvmdesk read the host again:")]
    if check.domain_exists:
        now.append(
            (
                tr("The virtual machine “{0}” exists and is running.")
                if check.running
                else tr("The virtual machine “{0}” exists and is shut off.")
            ).format(check.name)
        )
    else:
        now.append(tr("The virtual machine “{0}” was not defined.").format(check.name))
    for label in check.volumes:
        if check.domain_exists:
            now.append(tr("The new disk image {0} exists and is its disk.").format(label))
        else:
            now.append(tr("The new disk image {0} exists, unused.").format(label))
    if not check.domain_exists and not check.volumes:
        now.append(tr("Nothing was created."))
    now.append(tr("Existing disks were not touched."))
    return head, "\n".join(now)
