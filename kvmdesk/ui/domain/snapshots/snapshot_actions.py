"""What the Snapshots tab's buttons do: ask, start a job, report.

Revert warns that the present state is lost and offers to take a snapshot
first; Delete offers the children too, and for an external snapshot that
libvirt cannot delete it says so and offers to drop only libvirt's record,
naming the files that stay.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractButton, QCheckBox, QInputDialog, QLineEdit, QMessageBox

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask, report_text, show_failure, warning_box, widen_text
from kvmdesk.ui.common.job_wait import Failed, run_job
from kvmdesk.ui.domain.snapshots.create_dialog import CreateSnapshotDialog
from kvmdesk.ui.domain.snapshots.snapshot_words import name_problem_text
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.shown import shown
from kvmdesk.virt.snapshots import Mode, SnapshotNameError, SnapshotRecord

if TYPE_CHECKING:
    from kvmdesk.core.connection import Connection
    from kvmdesk.ui.domain.snapshots.snapshots_page import SnapshotsPage


async def _choose(box: QMessageBox) -> QAbstractButton | None:
    """Show a box whose choices are added, with Cancel the default; the button clicked.

    The box is deleted later; what the caller still reads of it (a check box)
    stays readable until the loop turns.
    """
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    widen_text(box)
    await ask(box)
    clicked = box.clickedButton()
    box.deleteLater()
    return clicked


def failure_of(exc: BaseException) -> Failure:
    """A job's error as a failure to report; a refused name in plain words."""
    if isinstance(exc, SnapshotNameError):
        return Failure(ErrorKind.INVALID_OPERATION, name_problem_text(exc.problem, exc.name))
    return classify(exc)


async def take(page: SnapshotsPage, name: str = "") -> bool:
    """Ask for a snapshot and take it; True once it exists."""
    conn, uuid, listing = page.connection, page.uuid, page.listing
    if conn is None or uuid is None or listing is None:
        return False
    dialog = CreateSnapshotDialog(listing, page, name)
    try:
        if await ask(dialog) != CreateSnapshotDialog.DialogCode.Accepted.value:
            return False
        mode = dialog.mode or Mode.INTERNAL
        name, text = dialog.name.text(), dialog.description.toPlainText()
    finally:
        dialog.deleteLater()
    job = await page.service.create(conn, uuid, name, text, mode)
    page.follow(job, conn, uuid)
    return await page.wait_job(job, tr("Could not take the snapshot"))


async def revert(page: SnapshotsPage) -> None:
    conn, uuid, record = page.connection, page.uuid, page.selected()
    if conn is None or uuid is None or record is None:
        return
    if page.confirm_revert and not await _confirm_revert(page, conn, uuid, record):
        return
    job = page.service.revert(conn, uuid, record.name)
    page.follow(job, conn, uuid)
    await page.wait_job(job, tr("Could not revert to the snapshot"))


async def _confirm_revert(
    page: SnapshotsPage, conn: Connection, uuid: str, record: SnapshotRecord
) -> bool:
    """Warn that the present state is lost; True to go on (after a snapshot, if asked)."""
    domain = conn.domains.get(uuid)
    box = warning_box(
        page,
        tr("Revert to Snapshot"),
        tr("Revert “{0}” to snapshot “{1}”?").format(
            shown(domain.name if domain else uuid), shown(record.name)
        ),
        tr(
            "The virtual machine's present state is lost: every change its disks took since "
            "the snapshot and, if it is running, its memory. Take a snapshot first to keep it."
        ),
    )
    first = box.addButton(tr("Take Snapshot First…"), QMessageBox.ButtonRole.AcceptRole)
    go = box.addButton(tr("Revert"), QMessageBox.ButtonRole.DestructiveRole)
    listing = page.listing
    first.setEnabled(
        listing is not None and any(not limits for limits in listing.refusals.values())
    )
    clicked = await _choose(box)
    if clicked is first:
        return await take(page, time.strftime("before-revert-%Y%m%d-%H%M%S"))
    return clicked is go


async def delete(page: SnapshotsPage) -> None:
    conn, uuid, record, listing = page.connection, page.uuid, page.selected(), page.listing
    if conn is None or uuid is None or record is None or listing is None:
        return
    below = listing.descendants(record.name)
    external = record.info.external or any(s.info.external for s in below)
    if external and not listing.can_delete_external:
        await _offer_forget(
            page, record, tr("libvirt on this host cannot delete external snapshots.")
        )
        return
    box = warning_box(
        page,
        tr("Delete Snapshot"),
        tr("Delete snapshot “{0}”?").format(shown(record.name)),
        tr("The virtual machine itself stays as it is now."),
    )
    children = None
    if below:
        children = QCheckBox(
            tr("Also delete the %n snapshot(s) taken after it from this one", None, len(below))
        )
        box.setCheckBox(children)
    go = box.addButton(tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    clicked = await _choose(box)
    with_children = children is not None and children.isChecked()
    if clicked is not go:
        return
    job = page.service.delete(conn, uuid, listing, record.name, children=with_children)
    page.follow(job, conn, uuid)
    outcome = await run_job(job, page)
    if isinstance(outcome, Failed):
        failure = failure_of(outcome.error)
        if external and failure.kind not in (ErrorKind.CONNECTION_LOST, ErrorKind.NOT_CONNECTED):
            await _offer_forget(page, record, failure.message)
        else:
            show_failure(page, tr("Could not delete the snapshot"), failure)


async def _offer_forget(page: SnapshotsPage, record: SnapshotRecord, why: str) -> None:
    """libvirt cannot delete this external snapshot: say so, offer to drop its record only."""
    conn, uuid, listing = page.connection, page.uuid, page.listing
    if conn is None or uuid is None or listing is None:
        return
    files = "\n".join(shown(f) for f in record.info.files) or tr("(none listed)")
    box = warning_box(
        page,
        tr("Delete Snapshot"),
        tr("Snapshot “{0}” is external and libvirt cannot delete it.").format(shown(record.name)),
        tr(
            "{0}\n\nYou can remove it from the list only: libvirt forgets it, and its files "
            "stay where they are:\n{1}"
        ).format(why, files),
    )
    forget = box.addButton(tr("Remove from List Only"), QMessageBox.ButtonRole.DestructiveRole)
    if await _choose(box) is not forget:
        return
    job = page.service.delete(conn, uuid, listing, record.name, children=False, metadata_only=True)
    page.follow(job, conn, uuid)
    await page.wait_job(job, tr("Could not remove the snapshot from the list"))


async def describe(page: SnapshotsPage) -> None:
    conn, uuid, record = page.connection, page.uuid, page.selected()
    if conn is None or uuid is None or record is None:
        return
    dialog = QInputDialog(page)
    dialog.setWindowTitle(tr("Edit Description"))
    dialog.setLabelText(tr("Description of snapshot “{0}”:").format(shown(record.name)))
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(record.info.description)
    try:
        if await ask(dialog) != QInputDialog.DialogCode.Accepted.value:
            return
        text = dialog.textValue()
    finally:
        dialog.deleteLater()
    try:
        await page.service.describe(conn, uuid, record.name, text)
    except Exception as exc:  # libvirtError, NotConnectedError
        report_text(page, tr("Could not change the description"), failure_of(exc).message)
    page.reload()
