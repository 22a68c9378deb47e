"""A disk source: a path typed in, or a volume chosen from the host's storage pools.

The browser lists the pools and volumes through the storage API, on the
connection's worker, so it shows the host's files on a remote host too.
"""

from __future__ import annotations

import asyncio
import logging

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask
from kvmdesk.ui.new_vm.volume_picker import VolumePicker
from kvmdesk.virt import storage
from kvmdesk.virt.errors import classify

log = logging.getLogger(__name__)


class SourceField(QWidget):
    textChanged = Signal(str)

    def __init__(self, conn: Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conn = conn
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(tr("/var/lib/libvirt/images/disk.qcow2"))
        self.browse = QPushButton(tr("Browse…"))
        self.browse.setToolTip(tr("Choose a volume from the host's storage pools"))
        self.picker: VolumePicker | None = None  # reachable while it is open
        self.problem = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        self.edit.textChanged.connect(self.textChanged)
        self.browse.clicked.connect(lambda: asyncio.ensure_future(self.choose()))

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    async def choose(self) -> None:
        try:
            pools = await self.conn.call(storage.list_pools)
        except Exception as exc:
            self.problem = messages.failure_summary(classify(exc))
            self.edit.setToolTip(self.problem)
            return
        if not shiboken6.isValid(self):
            return
        picker = VolumePicker(self, self.conn, tuple(pools), tr("Choose a Volume"))
        self.picker = picker
        chosen = await ask(picker)
        self.picker = None
        if chosen and picker.chosen and shiboken6.isValid(self):
            self.edit.setText(picker.chosen)
        picker.deleteLater()
