"""Take Snapshot… of several virtual machines at once, with one name.

Each machine gets the kind its definition allows: internal (with memory
when it runs) where libvirt can, else disk-only; one that allows neither
is named in the report with the reason, and the others are snapshotted.
A name that one of them already uses is refused before anything starts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from kvmdesk.core.jobs import Job
from kvmdesk.core.messages import tr
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.ui.common.errors import ask, show_failures
from kvmdesk.ui.common.job_wait import Failed, Unseen, run_job
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.common.widgets import CheckedDialog, plain_label
from kvmdesk.ui.domain.snapshots.create_dialog import default_name
from kvmdesk.ui.domain.snapshots.snapshot_actions import failure_of
from kvmdesk.ui.domain.snapshots.snapshot_words import limit_text, name_problem_text
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.shown import shown
from kvmdesk.virt.snapshots import Mode, SnapshotListing, check_name


def chosen_mode(listing: SnapshotListing) -> Mode | None:
    """Internal where libvirt can take it, else disk-only, else None."""
    for mode in (Mode.INTERNAL, Mode.DISK_ONLY):
        if not listing.refusals.get(mode, ()):
            return mode
    return None


class ManySnapshotsDialog(CheckedDialog):
    def __init__(self, count: int, taken: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Take Snapshots"), parent, width=480)
        self._taken = taken  # snapshot name -> a machine that has it
        self.name = QLineEdit(default_name())
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.form.addRow(
            plain_label(
                self.tr("A snapshot of each of the %n virtual machine(s), called:", None, count)
            )
        )
        self.form.addRow(self.tr("&Name:"), self.name)
        self.form.addRow(self.tr("&Description:"), self.description)

    def problem(self) -> str:
        name = self.name.text()
        found = check_name(name)
        if found is not None:
            return name_problem_text(found, name)
        if name in self._taken:
            return self.tr("“{0}” already has a snapshot called “{1}”.").format(
                shown(self._taken[name]), shown(name)
            )
        return ""


async def snapshot_many(
    parent: QWidget, targets: list[Selected], service: SnapshotService
) -> list[tuple[str, Failure]]:
    """Ask for one name, snapshot every target; returns the failures (also reported)."""
    listings: dict[str, SnapshotListing] = {}
    failures: list[tuple[str, Failure]] = []
    for target in targets:
        try:
            listings[target.record.uuid] = await service.listing(target.conn, target.record.uuid)
        except Exception as exc:  # libvirtError, NotConnectedError
            failures.append((target.record.name, classify(exc)))
    taken = {
        s.name: next(t.record.name for t in targets if t.record.uuid == uuid)
        for uuid, listing in listings.items()
        for s in listing.snapshots
    }
    dialog = ManySnapshotsDialog(len(targets), taken, parent)
    try:
        if await ask(dialog) != ManySnapshotsDialog.DialogCode.Accepted.value:
            return []
        name, text = dialog.name.text(), dialog.description.toPlainText()
    finally:
        dialog.deleteLater()
    jobs: list[tuple[str, Job[str]]] = []
    for target in targets:
        listing = listings.get(target.record.uuid)
        if listing is None:
            continue
        mode = chosen_mode(listing)
        if mode is None:
            limits = listing.refusals[Mode.INTERNAL] + listing.refusals[Mode.DISK_ONLY]
            why = " ".join(limit_text(limit) for limit in limits)
            failures.append((target.record.name, Failure(ErrorKind.NOT_SUPPORTED, why)))
            continue
        job = await service.create(target.conn, target.record.uuid, name, text, mode)
        jobs.append((target.record.name, job))
    for machine, job in jobs:
        outcome = await run_job(job, parent)
        if isinstance(outcome, Unseen):
            return failures
        if isinstance(outcome, Failed):
            failures.append((machine, failure_of(outcome.error)))
    show_failures(parent, tr("Some snapshots were not taken"), failures)
    return failures
