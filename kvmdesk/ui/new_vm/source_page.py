"""The New VM wizard's first page: where the operating system comes from
(install media, a disk image to import, a kernel, the network, or nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from kvmdesk.core.messages import tr
from kvmdesk.domxml.install import SourceKind
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.fields import PageId

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


class SourcePage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("How will the operating system be installed?"))
        self.setSubTitle(tr("Choose where the new virtual machine starts from."))
        self.group = QButtonGroup(self)
        self.buttons: dict[SourceKind, QRadioButton] = {}
        layout = QVBoxLayout(self)
        choices = (
            (SourceKind.ISO, tr("Local install media (ISO image or CD-ROM)")),
            (SourceKind.IMPORT, tr("Import an existing disk image")),
            (SourceKind.KERNEL, tr("Direct kernel boot (kernel and initrd on the host)")),
            (SourceKind.PXE, tr("Network boot (PXE)")),
            (SourceKind.MANUAL, tr("Manual install (an empty disk)")),
        )
        for kind, text in choices:
            button = QRadioButton(text)
            self.buttons[kind] = button
            self.group.addButton(button)
            layout.addWidget(button)
        self.buttons[SourceKind.ISO].setChecked(True)
        layout.addSpacing(12)
        self.loading = dim(plain_label(tr("Loading the host's details…")))
        layout.addWidget(self.loading)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def kind(self) -> SourceKind:
        for kind, button in self.buttons.items():
            if button.isChecked():
                return kind
        return SourceKind.ISO

    def set_loaded(self, problem: str) -> None:
        self.loading.setText(problem)
        self.loading.setVisible(bool(problem))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.vm.facts is not None

    def nextId(self) -> int:
        return int(PageId.MEDIA)
