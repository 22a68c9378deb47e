"""The Snapshots tab: a domain's snapshots as a tree, and what can be done with them.

The tree shows parents above their children, the current snapshot in bold
and marked "current"; beside it the selected snapshot's screenshot (kept on
this computer, see ``virt.snapshots``), description and files. What libvirt
would refuse for this domain is said in a line above the tree before any
button is pressed, and the refused kinds cannot be chosen in Take Snapshot.

Taking, reverting and deleting run as jobs (``core.jobs``): they go on,
with their progress in the jobs view, when another domain is shown; the
tab re-reads the list when a job of the domain it shows ends. libvirt
raises no event for snapshots: the list is read when the tab is shown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import Job, JobService
from kvmdesk.core.snapshots import SnapshotService, default_screens_dir
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.errors import report_text, show_failure
from kvmdesk.ui.common.job_wait import Done, Failed, run_job
from kvmdesk.ui.common.widgets import PaddedDelegate, dim, plain_label, scaled_font
from kvmdesk.ui.domain.snapshots import snapshot_actions
from kvmdesk.ui.domain.snapshots.snapshot_words import kind_text, limit_text, state_text
from kvmdesk.virt.errors import classify
from kvmdesk.virt.shown import shown
from kvmdesk.virt.snapshots import Mode, SnapshotListing, SnapshotRecord

log = logging.getLogger(__name__)

NAME, CREATED, STATE, KIND = range(4)
PREVIEW_WIDTH = 320


class SnapshotsPage(QWidget):
    def __init__(
        self, service: SnapshotService | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service or SnapshotService(JobService(parent=self), default_screens_dir())
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._shown = False
        self._generation = 0
        self._loaded_for: tuple[Connection, str] | None = None
        self.listing: SnapshotListing | None = None
        self._tasks = TaskSet("snapshot page task", log)
        self._take_pending = False  # Take Snapshot… was asked for before the list was read
        self.confirm_revert = True  # Preferences: ask before Revert

        self.take = QPushButton(self.tr("&Take Snapshot…"))
        self.revert = QPushButton(self.tr("&Revert…"))
        self.delete = QPushButton(self.tr("&Delete…"))
        self.describe = QPushButton(self.tr("&Edit Description…"))
        self.refresh = QPushButton(self.tr("Re&fresh"))
        buttons = QHBoxLayout()
        for button in (self.take, self.revert, self.delete, self.describe):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh)

        self.notice = plain_label()  # what libvirt would refuse, said before the click
        self.status = dim(plain_label(selectable=False))

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("Name"), self.tr("Created"), self.tr("State"), self.tr("Kind")]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setItemDelegate(PaddedDelegate(self.tree))
        self.tree.setAccessibleName(self.tr("Snapshots"))

        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH // 2, PREVIEW_WIDTH * 3 // 8)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._pixmap = QPixmap()  # the selected snapshot's screenshot, unscaled
        self.title = plain_label()
        self.title.setFont(scaled_font(self.font(), 1.1))
        self.info = plain_label()
        self.description = plain_label()
        self.files = dim(plain_label())
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        for widget in (self.preview, self.title, self.info, self.description, self.files):
            side_layout.addWidget(widget)
        side_layout.addStretch(1)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        side.setMaximumWidth(PREVIEW_WIDTH + 40)  # the tree takes the rest

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self.take.clicked.connect(lambda: self._spawn(snapshot_actions.take(self)))
        self.revert.clicked.connect(lambda: self._spawn(snapshot_actions.revert(self)))
        self.delete.clicked.connect(lambda: self._spawn(snapshot_actions.delete(self)))
        self.describe.clicked.connect(lambda: self._spawn(snapshot_actions.describe(self)))
        self.refresh.clicked.connect(self.reload)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.clear()

    # -- following the selection ---------------------------------------------------

    @property
    def connection(self) -> Connection | None:
        return self._conn

    @property
    def uuid(self) -> str | None:
        return self._uuid

    def use_service(self, service: SnapshotService) -> None:
        self.service = service

    def show_domain(self, conn: Connection, uuid: str) -> None:
        if conn is self._conn and uuid == self._uuid:
            return
        self._generation += 1
        self._conn, self._uuid = conn, uuid
        self._loaded_for = None
        self._fill(None)
        if self._shown:
            self.reload()

    def clear(self) -> None:
        self._take_pending = False
        self._generation += 1
        self._conn = self._uuid = self._loaded_for = None
        self._fill(None)

    def set_shown(self, shown_now: bool) -> None:
        self._shown = shown_now
        if shown_now and self._conn is not None and self._loaded_for is None:
            self.reload()

    def reload(self) -> None:
        conn, uuid = self._conn, self._uuid
        if conn is None or uuid is None:
            return
        self._generation += 1
        self._loaded_for = (conn, uuid)
        self.status.setText(self.tr("Reading the snapshots…"))
        self._spawn(self._load(self._generation, conn, uuid))

    async def _load(self, generation: int, conn: Connection, uuid: str) -> None:
        try:
            listing = await self.service.listing(conn, uuid)
        except Exception as exc:  # libvirtError, NotConnectedError
            if self._current(generation):
                self._fill(None)
                self.status.setText(messages.failure_summary(classify(exc)))
            return
        if self._current(generation):
            self._fill(listing)
            if self._take_pending:
                self._take_now()

    def _current(self, generation: int) -> bool:
        return shiboken6.isValid(self) and generation == self._generation

    def _spawn(self, coro: Any) -> None:
        self._tasks.spawn(coro)

    def take_when_loaded(self) -> None:
        """Open Take Snapshot as soon as the list is read (the menu's Take Snapshot…)."""
        self._take_pending = True
        if self.listing is not None and self._loaded_for == (self._conn, self._uuid):
            self._take_now()

    def _take_now(self) -> None:
        self._take_pending = False
        if self.take.isEnabled():
            self.take.click()

    def follow(self, job: Job[Any], conn: Connection, uuid: str) -> None:
        """Re-read the list when ``job`` ends, if this domain is still shown."""

        def ended(_done: asyncio.Future[Any]) -> None:
            if shiboken6.isValid(self) and self._conn is conn and self._uuid == uuid:
                self.reload()

        job.future.add_done_callback(ended)

    async def wait_job(self, job: Job[Any], title: str) -> bool:
        """Await ``job``; report its failure (not a cancel) in a box. True when it worked."""
        outcome = await run_job(job, self)
        if isinstance(outcome, Failed):
            if job.checked:
                report_text(
                    self,
                    title,
                    self.tr(
                        "The connection was lost while this ran. After reconnecting, the host "
                        "shows it did not happen."
                    ),
                )
            else:
                show_failure(self, title, snapshot_actions.failure_of(outcome.error))
        return isinstance(outcome, Done)

    # -- showing -------------------------------------------------------------------------

    def _fill(self, listing: SnapshotListing | None) -> None:
        selected = self.selected_name()
        self.listing = listing
        self.tree.clear()
        self.status.setText("")
        self.notice.setText(self._notice_text(listing))
        self.notice.setVisible(bool(self.notice.text()))
        if listing is not None:
            items: dict[str, QTreeWidgetItem] = {}
            for record in listing.snapshots:
                item = self._item(record)
                parent = items.get(record.parent)
                if parent is not None:
                    parent.addChild(item)
                else:
                    self.tree.addTopLevelItem(item)
                items[record.name] = item
            self.tree.expandAll()
            for column in range(self.tree.columnCount() - 1):
                self.tree.resizeColumnToContents(column)
            keep = items.get(selected or "") or next(
                (items[r.name] for r in listing.snapshots if r.current), None
            )
            if keep is not None:
                self.tree.setCurrentItem(keep)
            if not listing.snapshots:
                self.status.setText(self.tr("This virtual machine has no snapshots."))
        self._selection_changed()

    def _item(self, record: SnapshotRecord) -> QTreeWidgetItem:
        name = shown(record.name)
        if record.current:
            name = self.tr("{0} (current)").format(name)
        created = (
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.info.created))
            if record.info.created
            else ""
        )
        item = QTreeWidgetItem([name, created, state_text(record.info.state), kind_text(record)])
        item.setData(NAME, Qt.ItemDataRole.UserRole, record.name)
        item.setToolTip(NAME, messages.plain_tooltip(name))
        if record.current:
            font = item.font(NAME)
            font.setBold(True)
            item.setFont(NAME, font)
        return item

    def _notice_text(self, listing: SnapshotListing | None) -> str:
        if listing is None:
            return ""
        internal = listing.refusals.get(Mode.INTERNAL, ())
        disk_only = listing.refusals.get(Mode.DISK_ONLY, ())
        lines = []
        if internal:
            lines.append(self.tr("Internal snapshots are not possible:"))
            lines += ["• " + limit_text(limit) for limit in internal]
        if disk_only:
            lines.append(self.tr("Disk-only snapshots are not possible:"))
            lines += ["• " + limit_text(limit) for limit in disk_only]
        return "\n".join(lines)

    def selected_name(self) -> str | None:
        items = self.tree.selectedItems()
        return str(items[0].data(NAME, Qt.ItemDataRole.UserRole)) if items else None

    def selected(self) -> SnapshotRecord | None:
        name = self.selected_name()
        if name is None or self.listing is None:
            return None
        return self.listing.find(name)

    def _selection_changed(self) -> None:
        listing = self.listing
        record = self.selected()
        can_take = listing is not None and any(
            not listing.refusals.get(mode, ()) for mode in (Mode.INTERNAL, Mode.DISK_ONLY)
        )
        self.take.setEnabled(can_take)
        self.describe.setEnabled(record is not None)
        self.delete.setEnabled(record is not None)
        revertable = (
            record is not None
            and listing is not None
            and (not record.info.external or listing.can_revert_external)
        )
        self.revert.setEnabled(revertable)
        self.revert.setToolTip(
            self.tr(
                "libvirt on this host cannot revert to external snapshots (it needs 9.9 or later)."
            )
            if record is not None and not revertable
            else ""
        )
        self.refresh.setEnabled(self._conn is not None)
        self._show_record(record)

    def _show_record(self, record: SnapshotRecord | None) -> None:
        for label in (self.title, self.info, self.description, self.files):
            label.setText("")
        self.preview.clear()
        self._pixmap = QPixmap()
        if record is None or self._conn is None or self._uuid is None:
            return
        self.title.setText(shown(record.name))
        self.info.setText(
            self.tr("{0}; taken while {1}.").format(
                kind_text(record), state_text(record.info.state).lower()
            )
        )
        self.description.setText(shown(record.info.description, keep_lines=True))
        if record.info.files:
            self.files.setText(
                self.tr("Files: {0}").format(", ".join(shown(f) for f in record.info.files))
            )
        path = self.service.screen_path(self._conn, self._uuid, record.name)
        self._pixmap = QPixmap(str(path)) if path.is_file() else QPixmap()
        self._scale_preview()

    def _scale_preview(self) -> None:
        if self._pixmap.isNull():
            self.preview.setText(self.tr("No screenshot") if self.selected() else "")
            return
        width = max(64, min(PREVIEW_WIDTH * 2, self.preview.width()))
        self.preview.setPixmap(
            self._pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_preview()
