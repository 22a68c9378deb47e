"""The jobs view: every long operation of every connection, with its progress.

A dock under the tree. Each row is one ``core.jobs.Job``: what it does, on
which virtual machine and host, a progress bar (busy while libvirt
reports no amounts), elapsed and remaining time, its state, and Cancel
where libvirt can stop the job. The view opens by itself when a job
starts; finished rows stay until Clear Finished.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.jobs import Job, JobService, JobState
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import PaddedDelegate
from kvmdesk.virt.errors import ErrorKind
from kvmdesk.virt.screenshot.naming import connection_label
from kvmdesk.virt.shown import shown

WHAT, DOMAIN, HOST, PROGRESS, ELAPSED, REMAINING, STATE, CANCEL = range(8)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    if total >= 3600:
        return tr("{0} h {1:02} min").format(total // 3600, total // 60 % 60)
    if total >= 60:
        return tr("{0} min {1:02} s").format(total // 60, total % 60)
    return tr("{0} s").format(total)


def state_text(job: Job[Any]) -> str:
    state = job.state
    if state is JobState.RUNNING:
        return tr("Running")
    if state is JobState.CANCELLING:
        return tr("Cancelling…")
    if state is JobState.CHECKING:
        return tr("Result unknown — checking after the connection is back…")
    if state is JobState.DONE:
        return tr("Done (checked after the connection came back)") if job.checked else tr("Done")
    if state is JobState.CANCELLED:
        return tr("Cancelled")
    if state is JobState.UNKNOWN:
        if job.failure is not None and job.failure.kind is ErrorKind.OTHER:
            return tr("Result unknown: {0}").format(job.failure.message)
        return tr("Result unknown: the connection did not come back")
    if job.checked:
        return tr("Not done: the connection was lost, and the host shows it did not happen")
    failure = job.failure
    return tr("Failed: {0}").format(messages.failure_summary(failure)) if failure else tr("Failed")


class JobsView(QWidget):
    def __init__(self, jobs: JobService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.table = QTreeWidget()
        self.table.setHeaderLabels(
            [
                self.tr("Operation"),
                self.tr("Virtual Machine or Volume"),
                self.tr("Host"),
                self.tr("Progress"),
                self.tr("Elapsed"),
                self.tr("Remaining"),
                self.tr("State"),
                "",
            ]
        )
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setItemDelegate(PaddedDelegate(self.table))
        self.table.setAccessibleName(self.tr("Jobs"))
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(CANCEL, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(PROGRESS, 160)
        self.clear_button = QPushButton(self.tr("C&lear Finished"))
        self.clear_button.clicked.connect(self.clear_finished)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._rows: dict[int, tuple[Job[Any], QTreeWidgetItem]] = {}
        self._ticker = QTimer(self)  # elapsed and remaining time move on by themselves
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        for job in jobs.jobs:
            self._add(job)
        jobs.added.connect(self._add)

    def row_of(self, job: Job[Any]) -> QTreeWidgetItem | None:
        found = self._rows.get(id(job))
        return found[1] if found else None

    def _add(self, job: Job[Any]) -> None:
        item = QTreeWidgetItem(
            [job.title, shown(job.subject), shown(connection_label(job.uri)), "", "", "", "", ""]
        )
        item.setToolTip(WHAT, messages.plain_tooltip(job.title))
        self.table.addTopLevelItem(item)
        bar = QProgressBar()
        bar.setTextVisible(True)
        self.table.setItemWidget(item, PROGRESS, bar)
        if job.abortable:
            cancel = QPushButton(self.tr("Cancel"))
            cancel.clicked.connect(job.cancel)
            self.table.setItemWidget(item, CANCEL, cancel)
        self._rows[id(job)] = (job, item)
        job.changed.connect(lambda j=job: self._update(j))
        self._update(job)
        self._ticker.start()
        # A long title (a destination's URI) leaves the state its room; the tooltip has it all.
        widest = self.fontMetrics().horizontalAdvance("M") * 32
        for column in (WHAT, DOMAIN, HOST):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def _update(self, job: Job[Any]) -> None:
        if not shiboken6.isValid(self):
            return
        found = self._rows.get(id(job))
        if found is None:
            return
        item = found[1]
        bar = self.table.itemWidget(item, PROGRESS)
        if isinstance(bar, QProgressBar):
            fraction = job.progress.fraction if job.progress is not None else None
            if job.state is JobState.DONE:
                bar.setRange(0, 100)
                bar.setValue(100)
            elif job.state.finished:
                bar.setRange(0, 100)
                bar.setValue(bar.value() if bar.maximum() else 0)
            elif fraction is None:
                bar.setRange(0, 0)  # busy: libvirt gives no amounts for this job
            else:
                bar.setRange(0, 100)
                bar.setValue(int(fraction * 100))
        item.setText(ELAPSED, duration_text(job.elapsed()))
        item.setText(REMAINING, duration_text(job.remaining()))
        text = state_text(job)
        if job.note:
            text = tr("{0} — {1}").format(text, job.note)
        item.setText(STATE, text)
        detail = job.failure.message if job.failure is not None else ""
        item.setToolTip(STATE, messages.plain_tooltip(f"{text}\n{detail}" if detail else text))
        cancel = self.table.itemWidget(item, CANCEL)
        if cancel is not None:
            if job.state.finished:
                self.table.removeItemWidget(item, CANCEL)
            else:
                cancel.setEnabled(job.can_cancel)

    def _tick(self) -> None:
        running = [job for job, _item in self._rows.values() if not job.state.finished]
        for job in running:
            self._update(job)
        if not running:
            self._ticker.stop()

    def clear_finished(self) -> None:
        self.jobs.clear_finished()
        for key, (job, item) in list(self._rows.items()):
            if job.state.finished:
                index = self.table.indexOfTopLevelItem(item)
                self.table.takeTopLevelItem(index)
                del self._rows[key]


class JobsDock(QDockWidget):
    """The jobs view as a dock of the main window; it shows itself when a job starts."""

    def __init__(self, jobs: JobService, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Jobs"), parent)
        self.setObjectName("jobs-dock")
        self.view = JobsView(jobs, self)
        self.setWidget(self.view)
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea
        )
        jobs.added.connect(lambda _job: self.show())
