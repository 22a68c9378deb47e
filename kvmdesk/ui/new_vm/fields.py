"""What the New VM wizard's pages share: their ids (the order Next follows),
the form layout they use, and the path field with its Browse… button."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.volume_picker import VolumePicker


class PageId(enum.IntEnum):
    SOURCE = 0
    MEDIA = 1
    RESOURCES = 2
    STORAGE = 3
    NETWORK = 4
    SUMMARY = 5


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


class PathField(QWidget):
    """A path on the host: typed, or chosen with Browse… (a local file dialog on
    this machine, a storage pool's volumes on a remote host)."""

    def __init__(self, page: CheckedPage, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.page = page
        self.title = title
        self.edit = QLineEdit()
        self.edit.setAccessibleName(title)
        self.edit.setPlaceholderText(placeholder)
        self.browse = QPushButton(tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)

    def text(self) -> str:
        return self.edit.text()

    def _browse(self) -> None:
        self.page.vm.spawn(self._choose())

    async def _choose(self) -> None:
        vm = self.page.vm
        if vm.facts is not None and vm.facts.remote:
            picker = VolumePicker(self, vm.conn, vm.facts.pools, self.title)
            vm.picker = picker
            if await ask(picker) and picker.chosen:
                self.edit.setText(picker.chosen)
            vm.picker = None
            picker.deleteLater()
            return
        dialog = QFileDialog(self, self.title)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        vm.file_dialog = dialog
        result = await ask(dialog)
        files = dialog.selectedFiles()
        vm.file_dialog = None
        dialog.deleteLater()
        if result and files:
            self.edit.setText(files[0])
