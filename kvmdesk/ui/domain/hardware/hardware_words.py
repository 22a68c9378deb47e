"""The Hardware tab's sentences: refused input, warnings, and how an Apply ended.

Names and paths from the host pass through ``virt.shown``.
"""

from __future__ import annotations

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, lost_text
from kvmdesk.ui.domain.xml.xml_save_words import step_names
from kvmdesk.ui.new_vm.wording import input_message
from kvmdesk.virt.device_removal import REFUSED
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.hardware import ApplyOutcome, LiveOp, OpKind, Scope
from kvmdesk.virt.host_devices import HostDevice
from kvmdesk.virt.hotplug import NotLive
from kvmdesk.virt.plan_input import PlanInputError
from kvmdesk.virt.shown import shown
from kvmdesk.virt.xmledit import SaveCheck


def input_text(error: PlanInputError) -> str:
    detail = error.detail
    own = {
        ("vcpus", "above_max"): tr(
            "Current vCPUs ({0}) cannot be more than the maximum ({1})."
        ).format(detail, error.limit),
        ("memory", "above_max"): tr(
            "Current memory ({0} MiB) cannot be more than the maximum ({1} MiB)."
        ).format(detail, error.limit),
        ("topology", "zero"): tr("Sockets, cores and threads must each be at least 1."),
        ("topology", "negative"): tr("Sockets, cores and threads cannot be negative."),
        ("topology", "mismatch"): tr(
            "Sockets × cores × threads ({0}) must equal the maximum vCPUs ({1})."
        ).format(detail, error.limit),
        ("mac", "invalid"): tr(
            "“{0}” is not a MAC address: write six pairs of hex digits, like 52:54:00:12:34:56."
        ).format(shown(detail)),
        ("mac", "multicast"): tr(
            "“{0}” is a multicast MAC address (its first byte is odd); a NIC needs a unicast one."
        ).format(detail),
        ("password", "empty"): tr("Type the password the display should ask for."),
        ("password", "long"): tr("A VNC password can have at most {0} characters.").format(
            error.limit
        ),
        ("hostdev", "empty"): tr("Choose a device of the host."),
        ("char_path", "empty"): tr("Type the path of the file on the host."),
        ("char_path", "relative"): tr("“{0}” is not a full path: it must start with /.").format(
            shown(detail)
        ),
        ("channel_name", "empty"): tr("Type the channel's name, such as org.qemu.guest_agent.0."),
        ("share_source", "empty"): tr("Type the folder of the host to share."),
        ("share_source", "relative"): tr("“{0}” is not a full path: it must start with /.").format(
            shown(detail)
        ),
        ("share_target", "empty"): tr("Type the tag the guest mounts the share by."),
        ("shared_memory", "virtiofs"): tr(
            "Shared memory stays on: the virtiofs share “{0}” needs it. Remove the share first."
        ).format(shown(detail)),
        ("redir_host", "empty"): tr("Type the host to connect the USB redirection to."),
        ("redir_port", "invalid"): tr("“{0}” is not a port number (1 to 65535).").format(
            shown(detail)
        ),
        ("network", "empty"): tr("Choose a virtual network."),
        ("bus", "unsupported"): tr(
            "The machine type of this virtual machine does not support the {0} bus."
        ).format(shown(detail)),
    }
    if (error.field, error.reason) in own:
        return own[(error.field, error.reason)]
    if error.field == "memory" and error.reason == "negative":
        return tr("Memory cannot be negative.")
    return input_message(error)


def used_disk_warning(path: str, users: list[str]) -> str:
    return tr("“{0}” is already a disk of: {1}.").format(
        shown(path), ", ".join(shown(name) for name in users)
    )


def scope_sentence(scope: Scope) -> str:
    if scope == Scope.CONFIG:
        return tr("The change takes effect at the next start.")
    if scope == Scope.LIVE:
        return tr("The change is made on the running guest only (it is transient).")
    return tr("The change is made on the running guest now and kept for the next boot.")


def not_live_text(reason: NotLive, persistent: bool) -> str:
    """Why a new device waits for the next boot (or, transient, cannot be added)."""
    why = {
        NotLive.ISA_SERIAL: tr(
            "An ISA serial port cannot be added to a running guest; a PCI serial port can."
        ),
        NotLive.CONSOLE: tr("A console cannot be added to a running guest."),
        NotLive.NINE_P: tr("A 9p share cannot be added to a running guest; a virtiofs share can."),
        NotLive.VIRTIOFS_UNSHARED: tr(
            "A virtiofs share needs shared memory, which the running guest does not have."
        ),
        NotLive.NO_VIRTIO_SERIAL: tr(
            "The running guest has no virtio-serial controller for this channel."
        ),
        NotLive.CONTROLLER: tr("Only a SCSI controller can be added to a running guest."),
    }[reason]
    if persistent:
        return why + " " + tr("It is added for the next boot.")
    return why + " " + tr("This virtual machine is transient: it has no next boot to add it to.")


def used_hostdev_warning(users: list[str]) -> str:
    return tr("Also passed through to: {0}. Only one running guest can use it at a time.").format(
        ", ".join(shown(name) for name in users)
    )


def used_mac_warning(mac: str, users: list[str]) -> str:
    return tr("The MAC address {0} is already used by: {1}.").format(
        mac, ", ".join(shown(name) for name in users)
    )


def _op_text(op: LiveOp) -> str:
    if op.kind is OpKind.VCPUS:
        return tr("set the vCPUs to {0}").format(op.value)
    if op.kind is OpKind.MEMORY:
        return tr("set the memory to {0} MiB").format(op.value // 1024)
    if op.kind is OpKind.ATTACH:
        return tr("add the device")
    if op.kind is OpKind.DETACH:
        return tr("remove the device")
    return tr("change the device")


def outcome_text(outcome: ApplyOutcome, scope: Scope) -> str:
    lines: list[str] = []
    if outcome.stored and outcome.running and outcome.live_done and not outcome.live_failed:
        lines.append(tr("Applied now and saved for the next boot."))
    elif outcome.stored and outcome.running and Scope.LIVE not in scope:
        lines.append(tr("Saved. The change takes effect at the next boot."))
    elif outcome.stored and outcome.running and not outcome.live_done and not outcome.live_failed:
        lines.append(
            tr("Saved. The change takes effect at the next boot: the guest must be restarted.")
        )
    elif outcome.stored:
        lines.append(tr("Saved."))
    elif outcome.live_done:
        lines.append(tr("Applied to the running guest only; the next boot is unchanged."))
    else:
        lines.append(tr("Nothing needed to change."))
    for op, failure in outcome.live_failed:
        if op.kind is OpKind.DETACH and failure.message == REFUSED:
            reason = tr("the guest refused to release the device")
        elif op.kind is OpKind.DETACH and failure.kind is ErrorKind.TIMEOUT:
            reason = tr("the guest did not release the device")
        else:
            reason = messages.failure_summary(failure) + " " + failure.message
        lines.append(tr("Could not {0} now: {1}").format(_op_text(op), reason))
    if outcome.pending_restart:
        lines.append(tr("The change is saved and pending until the guest restarts."))
    if outcome.dropped:
        lines.append(tr("libvirt did not keep: {0}").format(", ".join(outcome.dropped)))
    return "\n".join(lines)


def host_device_text(device: HostDevice) -> str:
    """ "USB 0781:5567 SanDisk Corp. Cruzer Blade (used by: web1)"."""
    ids = f"{device.vendor_id.removeprefix('0x')}:{device.product_id.removeprefix('0x')}"
    kind = "USB" if device.kind == "usb" else "PCI"
    where = ""
    if device.pci_address is not None:
        domain, bus, slot, function = device.pci_address
        where = f" {domain:04x}:{bus:02x}:{slot:02x}.{function:x}"
    names = " ".join(shown(part) for part in (device.vendor, device.product) if part)
    text = f"{kind}{where} {ids} {names}".strip()
    if device.used_by:
        users = ", ".join(shown(name) for name in device.used_by)
        text = tr("{0} (used by: {1})").format(text, users)
    return text


def lost_link_words(lost: LinkLost[SaveCheck]) -> str:
    """What the re-read after a dropped link found, for the tab's message."""
    head = lost_text(lost, step_names())
    check = lost.state
    if check is None:
        return messages.sentences(head, tr("Your changes are still in the forms."))
    if check.stored:
        return messages.sentences(
            head,
            tr(
                "kvmdesk read the definition again after reconnecting: your changes are "
                "stored. The list shows what the running guest has now."
            ),
        )
    if check.stored is False:
        return messages.sentences(
            head,
            tr(
                "kvmdesk read the definition again after reconnecting: your changes are not "
                "stored. They are still in the forms; Apply saves them."
            ),
        )
    return head  # unclear: the comparison that follows says the rest
