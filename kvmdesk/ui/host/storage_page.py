"""The storage pools of one connection and the volumes of the selected pool.

Every libvirt call runs on the connection's worker; one action runs at a
time and the tables are listed again after each. The volumes of a pool are
fetched when it is selected; a result that arrives after the selection
moved on is dropped. Names and paths come from the host and are shown as
plain text (item text is never markup). The actions on pools and volumes
live in ``storage_actions``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.jobs import JobService
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import (
    PaddedDelegate,
    fill_table,
    make_table,
    padded_row_height,
    select_key,
    selected_key,
)
from kvmdesk.ui.host.relisting import ResourcePage
from kvmdesk.ui.host.storage_actions import StorageActions
from kvmdesk.ui.host.storage_dialogs import FRACTION, USAGE, UsageDelegate, pool_texts
from kvmdesk.ui.host.volume_model import VolumeTableModel
from kvmdesk.virt import storage
from kvmdesk.virt.errors import classify
from kvmdesk.virt.storage import PoolRecord, VolumeRecord

log = logging.getLogger(__name__)

BATCH = 500  # volume rows added to the table per turn of the event loop


def make_view(model: VolumeTableModel) -> QTableView:
    """A table view: unlike QTreeView, which asks the model about every row
    when rows arrive, it lays out 10,000 rows without calling into Python."""
    view = QTableView()
    view.setModel(model)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setItemDelegate(PaddedDelegate(view))
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(padded_row_height(view))
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    for column, width in enumerate((260, 70, 90, 90)):
        view.setColumnWidth(column, width)
    return view


class StoragePage(StorageActions, ResourcePage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("storage action", lambda conn: conn.poolsChanged, parent)
        self.pools: list[PoolRecord] = []
        self.volumes: list[VolumeRecord] = []
        self._volumes_of: str | None = None  # pool the volume table shows
        self._keep_volume: str | None = None

        self.pool_table = make_table(
            [tr("Pool"), tr("State"), tr("Autostart"), tr("Usage"), tr("Type"), tr("Path")]
        )
        self.pool_table.setAccessibleName(tr("Storage pools"))
        self.pool_table.setItemDelegate(UsageDelegate(self.pool_table))
        self.pool_table.itemSelectionChanged.connect(self._pool_selected)
        self.volume_model = VolumeTableModel(self)
        self.volume_table = make_view(self.volume_model)
        self.volume_table.setAccessibleName(tr("Volumes"))
        selection = self.volume_table.selectionModel()
        selection.selectionChanged.connect(self.update_buttons)
        self._load_id = 0  # the latest volume listing; older ones stop

        self.add_pool_button = QPushButton(tr("Add Pool…"))
        self.start_button = QPushButton(tr("Start"))
        self.stop_button = QPushButton(tr("Stop"))
        self.autostart_button = QPushButton(tr("Autostart"))
        self.autostart_button.setCheckable(True)
        self.autostart_button.setToolTip(tr("Start this pool when the host starts"))
        self.delete_pool_button = QPushButton(tr("Delete…"))
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.setToolTip(tr("Scan the selected pool again for changed files"))
        self.delete_pool_button.setToolTip(tr("Remove the pool's definition; its files stay"))
        self.new_volume_button = QPushButton(tr("New Volume…"))
        self.resize_button = QPushButton(tr("Resize…"))
        self.delete_volume_button = QPushButton(tr("Delete…"))
        self.upload_button = QPushButton(tr("Upload…"))
        self.upload_button.setToolTip(
            tr("Copy a file from this computer into the pool (an ISO, a disk image)")
        )
        self.upload_button.clicked.connect(lambda: self._on_pool(self.upload))
        self.jobs: JobService | None = None  # uploads run there; without it no Upload
        self.add_pool_button.clicked.connect(lambda: self._spawn(self.add_pool))
        self.start_button.clicked.connect(lambda: self._on_pool(self.set_active, True))
        self.stop_button.clicked.connect(lambda: self._on_pool(self.set_active, False))
        self.autostart_button.clicked.connect(
            lambda checked: self._on_pool(self.set_autostart, bool(checked))
        )
        self.delete_pool_button.clicked.connect(lambda: self._on_pool(self.delete_pool))
        self.refresh_button.clicked.connect(lambda: self._on_pool(self.refresh_pool))
        self.new_volume_button.clicked.connect(lambda: self._on_pool(self.new_volume))
        self.resize_button.clicked.connect(lambda: self._on_volume(self.resize_volume))
        self.delete_volume_button.clicked.connect(lambda: self._on_volume(self.delete_volume))

        pool_buttons = QHBoxLayout()
        for button in (
            self.add_pool_button,
            self.start_button,
            self.stop_button,
            self.autostart_button,
            self.delete_pool_button,
        ):
            pool_buttons.addWidget(button)
        pool_buttons.addStretch(1)
        pool_buttons.addWidget(self.refresh_button)
        volume_buttons = QHBoxLayout()
        for button in (
            self.new_volume_button,
            self.upload_button,
            self.resize_button,
            self.delete_volume_button,
        ):
            volume_buttons.addWidget(button)
        volume_buttons.addStretch(1)

        self._lay_out(
            [self.pool_table, pool_buttons],
            [self.volume_table, volume_buttons],
            stretch=(0, 2),
            sizes=(170, 400),
        )
        self.update_buttons()

    # -- plumbing ---------------------------------------------------------

    def disconnect_connection(self) -> None:
        super().disconnect_connection()
        self._load_id += 1  # a batched fill in progress stops

    def _on_pool(self, fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> None:
        pool = self.selected_pool()
        if pool is not None:
            self._spawn(lambda: fn(pool.name, *args))

    def _on_volume(self, fn: Callable[..., Coroutine[Any, Any, Any]]) -> None:
        pool, volume = self.selected_pool(), self.selected_volume()
        if pool is not None and volume is not None:
            self._spawn(lambda: fn(pool.name, volume.name))

    def selected_pool(self) -> PoolRecord | None:
        key = selected_key(self.pool_table)
        return next((r for r in self.pools if r.name == key), None)

    def selected_volume(self) -> VolumeRecord | None:
        rows = self.volume_table.selectionModel().selectedRows()
        if not rows or not self.volume_model.records:
            return None
        row = rows[0].row()
        records = self.volume_model.records
        return records[row] if 0 <= row < len(records) else None

    def selected_volume_name(self) -> str | None:
        record = self.selected_volume()
        return record.name if record is not None else None

    def select_volume(self, name: str) -> None:
        row = self.volume_model.row_of(name)
        if row < 0:
            return
        index = self.volume_model.index(row, 0)
        self.volume_table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.volume_table.scrollTo(index)

    def select(self, pool: str) -> None:
        select_key(self.pool_table, pool)

    def update_buttons(self) -> None:
        pool, volume = self.selected_pool(), self.selected_volume()
        idle = not self._busy and self.conn is not None and self.conn.is_connected
        on_pool = idle and pool is not None
        self.add_pool_button.setEnabled(idle)
        self.refresh_button.setEnabled(idle)
        self.start_button.setEnabled(on_pool and pool is not None and not pool.active)
        self.stop_button.setEnabled(on_pool and pool is not None and pool.active)
        self.autostart_button.setEnabled(on_pool)
        self.autostart_button.setChecked(pool is not None and pool.autostart)
        self.delete_pool_button.setEnabled(on_pool)
        loaded = pool is not None and pool.active and self._volumes_of == pool.name
        self.new_volume_button.setEnabled(on_pool and loaded)
        self.upload_button.setEnabled(on_pool and loaded and self.jobs is not None)
        self.resize_button.setEnabled(on_pool and loaded and volume is not None)
        self.delete_volume_button.setEnabled(on_pool and loaded and volume is not None)

    # -- listing ----------------------------------------------------------

    async def refresh(self) -> bool:
        conn = self.conn
        if conn is None:
            return False
        return await self._relisting.refresh(conn, storage.list_pools, self.show_pools, self.status)

    def show_pools(self, pools: list[PoolRecord]) -> None:
        current = selected_key(self.pool_table)
        self.pools = pools
        self.pool_table.blockSignals(True)
        fill_table(self.pool_table, [(p.name, pool_texts(p)) for p in pools])
        for index, pool in enumerate(pools):
            item = self.pool_table.topLevelItem(index)
            if item is not None and pool.capacity:
                item.setData(USAGE, FRACTION, pool.allocation / pool.capacity)
        self.pool_table.blockSignals(False)
        if self._volumes_of is not None:
            self._keep_volume = self.selected_volume_name()
        self._volumes_of = None  # list the volumes again
        if current is not None and any(p.name == current for p in pools):
            self.select(current)
        elif pools:
            self.select(pools[0].name)
        self._pool_selected()

    def _pool_selected(self) -> None:
        pool = self.selected_pool()
        self.update_buttons()
        if pool is None:
            self._show_volume_note("")
        elif not pool.active:
            self._show_volume_note(tr("Start the pool to see its volumes."))
        elif self._volumes_of != pool.name:
            self._show_volume_note(tr("Loading…"))
            self._spawn(lambda: self.load_volumes(pool.name))

    def _show_volume_note(self, text: str) -> None:
        if self._volumes_of is not None:  # keep the volume selected across a reload
            self._keep_volume = self.selected_volume_name()
        self._load_id += 1  # a fill still running stops
        self.volumes = []
        self._volumes_of = None
        self.volume_model.set_note(text)
        self.update_buttons()

    def _show_progress(self, load_id: int, done: int, total: int) -> None:
        """How far the worker's listing of a big pool is."""
        if shiboken6.isValid(self) and load_id == self._load_id and not self.volume_model.records:
            text = tr("Loading… {0} of {1} volumes").format(f"{done:,}", f"{total:,}")
            self.volume_model.set_note(text)

    async def load_volumes(self, pool: str) -> bool:
        """List the pool's volumes on the worker, then fill the table in batches."""
        conn = self.conn
        if conn is None:
            return False
        self._show_volume_note(tr("Loading…"))
        load_id = self._load_id
        loop = asyncio.get_event_loop()

        def progress(done: int, total: int) -> None:  # on the worker thread
            with contextlib.suppress(RuntimeError):  # the loop closed: quitting
                loop.call_soon_threadsafe(self._show_progress, load_id, done, total)

        try:
            volumes = await conn.call(storage.list_volumes, pool, progress)
        except Exception as exc:  # libvirtError, NotConnectedError
            if shiboken6.isValid(self) and load_id == self._load_id:
                self._show_volume_note(messages.failure_summary(classify(exc)))
            return False
        if not shiboken6.isValid(self) or load_id != self._load_id:
            return False  # the selection moved on meanwhile
        if selected_key(self.pool_table) != pool:
            return False
        self.volumes = volumes
        volumes = self.volume_model.in_view_order(volumes)
        if not volumes:
            self.volume_model.set_note(tr("The pool has no volumes."))
        for start in range(0, len(volumes), BATCH):
            if start:
                self.status.setText(
                    tr("Loading… {0} of {1} volumes").format(f"{start:,}", f"{len(volumes):,}")
                )
                await asyncio.sleep(0)  # let the window paint and take input
                if not shiboken6.isValid(self) or load_id != self._load_id:
                    return False
            self.volume_model.extend(volumes[start : start + BATCH])
        if len(volumes) > BATCH:
            self.status.setText(tr("%Ln volume(s)", None, len(volumes)))
        self._volumes_of = pool
        if self._keep_volume is not None:
            self.select_volume(self._keep_volume)
        self.update_buttons()
        return True
