"""The "Capture All…" dialog: a folder and a file-name template.

The template may use only ``{connection}``, ``{domain}``, ``{uuid}`` and
``{time}`` (``virt.screenshot.naming``); a preview shows the name the first
file would get.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import CheckedDialog, dim, plain_label
from kvmdesk.virt.screenshot.naming import (
    DEFAULT_TEMPLATE,
    PLACEHOLDERS,
    NameParts,
    TemplateError,
    check_template,
    render,
)

EXAMPLE_UUID = "0f1e2d3c-0000-4000-8000-000000000001"


class CaptureAllDialog(CheckedDialog):
    """Where to put the screenshots of every running domain of ``uri``."""

    def __init__(
        self,
        uri: str,
        parent: QWidget | None,
        folder: Path | None = None,
        template: str = DEFAULT_TEMPLATE,
    ) -> None:
        super().__init__(tr("Capture All Running Virtual Machines"), parent, width=480)
        self._uri = uri
        self.folder = QLineEdit(str(folder or Path.home()))
        self.folder.setAccessibleName(self.tr("Folder"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.template = QLineEdit(template)
        self.template.setToolTip(
            self.tr("Placeholders: {0}").format(", ".join("{" + p + "}" for p in PLACEHOLDERS))
        )
        self.preview = dim(plain_label(selectable=False))
        self.form.addRow(self.tr("Folder:"), row)
        self.form.addRow(self.tr("File names:"), self.template)
        self.form.addRow("", self.preview)
        self.template.textChanged.connect(self._update_preview)
        self._update_preview()
        self._browser: QFileDialog | None = None

    def directory(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def _update_preview(self) -> None:
        try:
            name = render(
                self.template.text(),
                NameParts(
                    self._uri, "web1", "0f1e2d3c-0000-4000-8000-000000000001", datetime.now(UTC)
                ),
            )
        except TemplateError as exc:
            self.preview.setText(str(exc))
            return
        self.preview.setText(self.tr("For example: {0}").format(name))

    def _browse(self) -> None:
        browser = QFileDialog(self, self.tr("Folder for the Screenshots"), str(self.directory()))
        browser.setFileMode(QFileDialog.FileMode.Directory)
        browser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        browser.fileSelected.connect(self.folder.setText)
        browser.finished.connect(browser.deleteLater)
        self._browser = browser
        browser.open()

    def problem(self) -> str:
        folder = self.directory()
        if not self.folder.text().strip():
            return self.tr("Choose a folder for the screenshots.")
        if not folder.is_dir():
            return self.tr("The folder {0} does not exist.").format(folder)
        if not os.access(folder, os.W_OK | os.X_OK):
            return self.tr("kvmdesk may not write into the folder {0}.").format(folder)
        try:
            check_template(self.template.text())
        except TemplateError as exc:
            return str(exc)
        return ""
