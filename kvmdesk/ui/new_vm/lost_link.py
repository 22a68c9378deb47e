"""A creation cut by a dropped link: what the re-read found, and the leftovers.

``core.steps.run_steps`` waited for the reconnect and read the host again;
this says what exists now. A virtual machine that exists is the wizard's
work done. New disk images left without one are offered for removal (with
"Keep Them" the default), removed through the storage API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from kvmdesk.core import messages
from kvmdesk.core.command_log import error_words
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost
from kvmdesk.ui.common.errors import ask, report_text, warning_box, widen_text
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.wording import lost_link_text
from kvmdesk.virt import provision as pv
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import joined
from kvmdesk.virt.errors import classify

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


def leftover_question(parent: QWidget, head: str, now: str) -> tuple[QMessageBox, QPushButton]:
    """Unused new disk images: remove them or keep them (the default)."""
    box = warning_box(parent, tr("New Virtual Machine"), head, now)
    remove = box.addButton(tr("&Remove Disk Images"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(tr("&Keep Them"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    widen_text(box)
    return box, remove


async def report_lost_link(
    wizard: NewVmWizard,
    page: CheckedPage,
    lost: LinkLost[pv.ProvisionCheck],
    names: dict[str, str],
) -> bool:
    """Tell what exists; True when the virtual machine does (the wizard is done)."""
    head, now = lost_link_text(lost, names)
    page.say(head + "\n" + now)
    check = lost.state
    title = tr("New Virtual Machine")
    if check is not None and check.domain_exists:
        report_text(wizard.parentWidget() or wizard, title, head, now)
        return True
    if check is None or not check.volumes:
        report_text(wizard, title, head, now)
        return False
    box, remove = leftover_question(wizard, head, now)
    wizard.leftover_box = box  # reachable while it is open
    await ask(box)
    chosen = box.clickedButton() is remove
    box.deleteLater()
    wizard.leftover_box = None
    if not chosen:
        return False
    try:
        removed = await wizard.conn.call(pv.remove_volumes, list(check.volumes))
    except Exception as exc:  # the link dropped again
        log_removal(wizard.conn, list(check.volumes), error_words(exc))
        page.say(
            tr("The disk images were not removed: {0}").format(
                messages.failure_summary(classify(exc))
            )
        )
        return False
    errors = "; ".join(f"{label}: {why}" for label, why in removed.leftover)
    log_removal(wizard.conn, list(check.volumes), errors or None)
    lines = [tr("The new disk image {0} was deleted.").format(label) for label in removed.removed]
    lines += [
        tr("The disk image {0} could not be deleted: {1}").format(label, why)
        for label, why in removed.leftover
    ]
    page.say("\n".join(lines))
    return False


def log_removal(conn: Connection, labels: list[str], error: str | None) -> None:
    """The images to remove (``pool/name``) as ``vol-delete`` each, in the command log."""
    steps = []
    for label in labels:
        pool, _slash, name = label.partition("/")
        steps.append(virsh_commands.vol_delete(conn.uri, pool, name))
    conn.command_log.record(joined(steps), error)
