"""The New VM wizard's sentences: refused input and what a creation left behind."""

from __future__ import annotations

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.virt.provision import PathCheck, PlanInputError, ProvisionOutcome, Step
from kvmdesk.virt.storage import GIB


def gib(size: int) -> str:
    return tr("{0} GiB").format(f"{size / GIB:,.1f}")


def used_disk_text(checked: PathCheck) -> str:
    """The warning for a disk image other domains already use."""
    return tr("“{0}” is already a disk of: {1}.").format(checked.path, ", ".join(checked.used_by))


def input_message(error: PlanInputError) -> str:
    """A refused input as one plain sentence (host text quoted, never markup)."""
    detail = error.detail
    if error.field in ("memory", "vcpus"):
        what = {"memory": tr("Memory"), "vcpus": tr("CPUs")}[error.field]
        unit = tr("MiB") if error.field == "memory" else ""
        numbers = {
            "invalid": tr("{0}: enter a whole number, like 2048 (not “{1}”).").format(what, detail),
            "negative": tr("{0} cannot be negative.").format(what),
            "zero": tr("{0} must be at least 1.").format(what),
            "above": tr("{0}: this host has at most {1} {2}.").format(what, error.limit, unit),
        }
        return numbers.get(error.reason, tr("{0}: “{1}” is refused.").format(what, detail)).strip()
    templates = {
        ("name", "empty"): tr("Enter a name for the virtual machine."),
        ("name", "long"): tr("The name is too long: at most {0} characters.").format(error.limit),
        ("name", "slash"): tr("A name cannot contain “/”."),
        ("name", "dash"): tr("A name cannot start with “-”."),
        ("name", "control"): tr("A name cannot contain line breaks or control characters."),
        ("name", "markup"): tr("A name cannot contain < > & \" or '."),
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
        head += " " + input_message(outcome.input_error)
    elif outcome.failure is not None:
        head += " " + messages.failure_summary(outcome.failure)
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
