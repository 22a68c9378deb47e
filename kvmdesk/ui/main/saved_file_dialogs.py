"""Save to File…, Restore from File… and Run of a machine saved to a file.

The file is on the host (``virsh save`` writes it there): for a local
connection Browse… opens a file dialog; for a remote one the path is
typed. Run of a machine saved to a file offers to restore it, or to start
it afresh, which makes the saved memory out of date: kvmdesk then forgets
the file (it stays where it is, for the user to delete).
"""

from __future__ import annotations

import enum
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from kvmdesk.core import saved_file as core_saved
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.messages import tr
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import ask, report_text, show_failure, widen_text
from kvmdesk.ui.common.job_wait import Done, Failed, run_job
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.common.widgets import CheckedDialog, dim, plain_label
from kvmdesk.virt import saved_file
from kvmdesk.virt.commands import file_name
from kvmdesk.virt.errors import Failure, classify
from kvmdesk.virt.saved_file import SavePathError
from kvmdesk.virt.shown import shown

log = logging.getLogger(__name__)


def path_problem(path: str) -> str:
    try:
        saved_file.check_path(path)
    except SavePathError as exc:
        if exc.kind == "empty":
            return tr("Enter the path of the file on the host.")
        if exc.kind == "control":
            return tr("The path holds control characters.")
        return tr("Enter a full path, starting with “/”.")
    return ""


class HostPathDialog(CheckedDialog):
    """A path on the host; Browse… where the host is this computer."""

    def __init__(
        self, parent: QWidget | None, title: str, conn: Connection, path: str, saving: bool
    ) -> None:
        super().__init__(title, parent, width=560)
        self.saving = saving
        self.path = QLineEdit(path)
        self.path.setAccessibleName(self.tr("File on the host"))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        self.browse = QPushButton(self.tr("&Browse…"))
        self.browse.clicked.connect(self._browse)
        self.browse.setVisible(not conn.is_remote)
        row.addWidget(self.browse)
        label = QLabel(self.tr("&File:"))
        label.setBuddy(self.path)
        self.form.addRow(label, row)
        if conn.is_remote:
            where = self.tr("The file is on the host {0}; type its path there.").format(
                shown(conn.uri)
            )
            self.form.addRow(dim(plain_label(where)))

    def problem(self) -> str:
        return path_problem(self.path.text())

    def _browse(self) -> None:
        self.dialog = QFileDialog(self, self.windowTitle(), self.path.text())
        self.dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if self.saving:
            self.dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        else:
            self.dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.dialog.fileSelected.connect(self.path.setText)
        self.dialog.open()


def default_path(name: str) -> str:
    return f"/var/lib/libvirt/images/{file_name(name, '.save')}"


async def _ended(parent: QWidget, job: Job[str], title: str) -> bool:
    outcome = await run_job(job, parent)
    if isinstance(outcome, Failed):
        show_failure(parent, title, outcome.failure)
    return isinstance(outcome, Done)


async def save_to_file(parent: QWidget, jobs: JobService, target: Selected) -> None:
    record = target.record
    dialog = HostPathDialog(
        parent,
        tr("Save “{0}” to a File").format(shown(record.name)),
        target.conn,
        default_path(record.name),
        saving=True,
    )
    dialog.form.insertRow(
        0,
        plain_label(
            tr("The memory is written to the file and the machine stops; Run restores it.")
        ),
    )
    try:
        accepted = await ask(dialog) == CheckedDialog.DialogCode.Accepted.value
        path = saved_file.check_path(dialog.path.text()) if accepted else ""
    finally:
        dialog.deleteLater()
    if not path:
        return
    job = core_saved.save(jobs, target.conn, record, path)
    await _ended(parent, job, tr("Could not save “{0}”").format(shown(record.name)))


async def restore_path(
    parent: QWidget, jobs: JobService, conn: Connection, path: str
) -> str | None:
    """Restore the machine ``path`` holds; its UUID, or None (said to the user)."""
    title = tr("Could not restore from {0}").format(shown(path))
    try:
        name, uuid = await conn.call(saved_file.image_domain, path)
    except Exception as exc:  # libvirtError: no such file, not a save image
        show_failure(parent, title, classify(exc))
        return None
    running = conn.domains.get(uuid)
    if running is not None and running.state.is_active:
        report_text(
            parent,
            title,
            tr("“{0}”, which the file holds, is running.").format(shown(name)),
            tr("Shut it down first; restoring would replace what it is doing now."),
        )
        return None
    job = core_saved.restore(jobs, conn, path, uuid, name)
    return uuid if await _ended(parent, job, title) else None


class RunChoice(enum.Enum):
    RESTORE = "restore"
    FRESH = "fresh"
    CANCEL = "cancel"


async def ask_restore(parent: QWidget, name: str, path: str) -> RunChoice:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Run"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(tr("“{0}” was saved to a file. Restore it?").format(shown(name)))
    box.setInformativeText(
        tr(
            "Restore goes on where it was saved, from {0}. Start Fresh boots it anew: the "
            "saved state is then out of date, and kvmdesk forgets the file (it is not deleted)."
        ).format(shown(path))
    )
    restore = box.addButton(tr("&Restore"), QMessageBox.ButtonRole.AcceptRole)
    fresh = box.addButton(tr("Start &Fresh"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(restore)
    widen_text(box)
    await ask(box)
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is restore:
        return RunChoice.RESTORE
    return RunChoice.FRESH if clicked is fresh else RunChoice.CANCEL


async def run_saved(
    parent: QWidget,
    jobs: JobService,
    target: Selected,
    choose: Callable[[QWidget, str, str], Awaitable[RunChoice]] = ask_restore,
) -> tuple[bool, list[tuple[str, Failure]]]:
    """Run of a machine saved to a file: (start it normally, failures)."""
    conn, record = target.conn, target.record
    try:
        path = await conn.call(saved_file.saved_path, record.uuid)
    except Exception as exc:  # libvirtError, NotConnectedError
        return False, [(record.name, classify(exc))]
    if not path:
        return True, []  # saved by someone else: libvirt cannot say where
    choice = await choose(parent, record.name, path)
    if choice is RunChoice.CANCEL:
        return False, []
    if choice is RunChoice.FRESH:
        try:
            await conn.call(saved_file.forget, record.uuid)
        except Exception as exc:  # libvirtError, NotConnectedError
            return False, [(record.name, classify(exc))]
        return True, []
    await restore_path(parent, jobs, conn, path)
    return False, []


class SavedFileActions(QObject):
    """File → Restore from File… for the selected connection."""

    def __init__(
        self,
        window: QWidget,
        selected: Callable[[], Connection | None],
        select_when_listed: Callable[[Connection, str], None],
    ) -> None:
        super().__init__(window)
        self._window, self._selected = window, selected
        self.jobs: JobService | None = None  # restores run as jobs: none, no restore
        self._select = select_when_listed
        self._conn: Connection | None = None
        self._hooked: weakref.WeakSet[Connection] = weakref.WeakSet()
        self._tasks = TaskSet("restore from file", log)
        self.restore_act = QAction(self.tr("Res&tore from File…"), window)
        self.restore_act.setToolTip(
            self.tr("Start a virtual machine from a file its memory was saved to")
        )
        self.restore_act.triggered.connect(lambda: self._tasks.spawn(self.restore()))
        self.update_for(None)

    def update_for(self, conn: Connection | None) -> None:
        self._conn = conn
        if conn is not None and conn not in self._hooked:
            self._hooked.add(conn)
            conn.stateChanged.connect(self._state_changed)
        self._state_changed()

    def _state_changed(self, *_args: Any) -> None:
        conn = self._conn
        self.restore_act.setEnabled(
            self.jobs is not None and conn is not None and conn.is_connected
        )

    async def restore(self) -> None:
        conn, jobs = self._selected(), self.jobs
        if conn is None or not conn.is_connected or jobs is None:
            return
        dialog = HostPathDialog(self._window, self.tr("Restore from File"), conn, "", saving=False)
        self.dialog: HostPathDialog | None = dialog
        try:
            accepted = await ask(dialog) == CheckedDialog.DialogCode.Accepted.value
            path = saved_file.check_path(dialog.path.text()) if accepted else ""
        finally:
            dialog.deleteLater()
            self.dialog = None
        if path:
            uuid = await restore_path(self._window, jobs, conn, path)
            if uuid is not None:
                self._select(conn, uuid)
