"""Choose a file of a remote host: a volume of one of its storage pools.

kvmdesk never offers this machine's disk for a remote host (the path would
mean another file there); the pools are the host's own view of its files.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.virt import storage
from kvmdesk.virt.errors import classify
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage import PoolRecord


class VolumePicker(QDialog):
    def __init__(
        self, parent: QWidget, conn: Connection, pools: tuple[PoolRecord, ...], title: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.conn = conn
        self.chosen = ""
        self.pool = QComboBox()
        for pool in pools:
            if pool.active:
                self.pool.addItem(shown(pool.name), pool.name)
        self.volumes = QListWidget()
        self.volumes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.status = dim(plain_label())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("Storage pool:"), self.pool)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.volumes, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(480, 360)
        self._task: asyncio.Task[Any] | None = None
        self.pool.currentIndexChanged.connect(self._load)
        self.volumes.itemDoubleClicked.connect(lambda _item: self._ok())
        if self.pool.count():
            self._load()
        else:
            self.status.setText(tr("This host has no running storage pool."))

    def _load(self, *_args: object) -> None:
        if self._task is not None:
            self._task.cancel()
        self._task = asyncio.ensure_future(self._fetch(str(self.pool.currentData())))

    async def _fetch(self, pool: str) -> None:
        self.volumes.clear()
        self.status.setText(tr("Loading…"))
        try:
            records = await self.conn.call(storage.list_volumes, pool)
        except Exception as exc:
            self.status.setText(messages.failure_summary(classify(exc)))
            return
        if pool != self.pool.currentData():
            return
        for record in records:
            item = QListWidgetItem(shown(record.name))
            item.setData(256, record.path)
            item.setToolTip(messages.plain_tooltip(record.path))
            self.volumes.addItem(item)
        self.status.setText("" if records else tr("This pool holds no files."))

    def _ok(self) -> None:
        item = self.volumes.currentItem()
        if item is None:
            self.status.setText(tr("Choose a file."))
            return
        self.chosen = str(item.data(256))
        self.accept()
