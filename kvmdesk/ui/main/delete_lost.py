"""A deletion cut by a dropped link: what the re-read found, and the volumes left.

``core.steps.run_steps`` waited for the reconnect and read the host again.
The report says whether the virtual machine still exists and which of the
chosen storage volumes are still there; when its definition is gone and
volumes are left, "Delete Them" deletes them through the storage API
("Close", the default, keeps them).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.steps import LinkLost, lost_text
from kvmdesk.ui.common.errors import ask, show_failure, warning_box, widen_text
from kvmdesk.ui.main.delete_dialog import show_outcome
from kvmdesk.virt.delete import DeleteCheck, DeletePlan
from kvmdesk.virt.errors import classify
from kvmdesk.virt.shown import shown


def step_names(sources: list[str]) -> dict[str, str]:
    names = {
        "backup": tr("keeping a copy of its definition"),
        "force off": tr("forcing it off"),
        "undefine": tr("removing its definition"),
    }
    for source in sources:
        names[f"delete:{source}"] = tr("deleting {0}").format(shown(source))
    return names


def lost_delete_text(lost: LinkLost[DeleteCheck], plan: DeletePlan) -> tuple[str, str]:
    """(summary, details) of a deletion cut by a dropped link."""
    check = lost.state
    sources = [key.split(":", 1)[1] for key in (s.key for s in lost.journal.steps) if ":" in key]
    head = lost_text(lost, step_names(sources))
    if check is None:
        return head, tr(
            "Whether “{0}” and the chosen storage still exist is not known: look at the "
            "host once it is back."
        ).format(shown(plan.name))
    lines = [tr("After reconnecting, kvmdesk read the host again:")]
    if check.domain_exists:
        lines.append(tr("Virtual machine “{0}” still exists.").format(shown(plan.name)))
    else:
        lines.append(tr("Virtual machine “{0}” was deleted.").format(shown(plan.name)))
    lines += [tr("Deleted: {0}").format(shown(source)) for source in check.volumes_gone]
    lines += [tr("Still there: {0}").format(shown(source)) for source in check.volumes_left]
    if not check.volumes_gone and not check.volumes_left:
        lines.append(tr("No storage files were to be deleted."))
    return head, "\n".join(lines)


def lost_delete_box(
    parent: QWidget | None, lost: LinkLost[DeleteCheck], plan: DeletePlan
) -> tuple[QMessageBox, QPushButton | None]:
    """The report as a message box, with "Delete Them" when volumes are left of a
    virtual machine that is gone; not shown yet."""
    head, details = lost_delete_text(lost, plan)
    box = warning_box(parent, tr("Delete Virtual Machine"), head, details)
    close = box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(close)
    delete = None
    check = lost.state
    if check is not None and not check.domain_exists and check.volumes_left:
        delete = box.addButton(tr("&Delete Them"), QMessageBox.ButtonRole.DestructiveRole)
    widen_text(box, 520)
    return box, delete


async def report_lost_delete(
    window: QWidget,
    service: ActionService,
    conn: Connection,
    plan: DeletePlan,
    lost: LinkLost[DeleteCheck],
    confirmed_shared: list[str] | None = None,
) -> None:
    """Show what a cut deletion left; delete the volumes left if asked to
    (a file another machine needs only if the user confirmed it before)."""
    box, delete = lost_delete_box(window, lost, plan)
    window.lost_delete_box = box  # type: ignore[attr-defined]  # reachable while it is open
    await ask(box)
    chosen = delete is not None and box.clickedButton() is delete
    box.deleteLater()
    window.lost_delete_box = None  # type: ignore[attr-defined]
    check = lost.state
    if not chosen or check is None:
        return
    try:
        outcome = await service.delete_volumes(
            conn, plan, list(check.volumes_left), confirmed_shared
        )
    except Exception as exc:  # the link dropped again
        show_failure(window, tr("Could not delete"), classify(exc))
        return
    show_outcome(window, outcome)
