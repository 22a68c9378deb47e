"""The running domain's XML beside the next-boot XML in the XML tab.

For a running domain the tab shows a banner saying that changes take
effect at the next boot, and "Compare with Running" shows the live XML
(read-only) beside the XML being edited, the two scrolled together and the
lines that differ shaded. ``RunningComparison`` owns those widgets and the
marking; the XML tab places them in its layout and says when the domain
runs (``set_live``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.xml.xml_highlighter import XmlEditor
from kvmdesk.ui.domain.xml.xml_sidebyside import line_differences, scroll_together, shade_lines


class RunningComparison(QObject):
    """The banner, the live XML panel and the difference marks for ``editor``.

    ``banner`` goes above the editors, ``live_panel`` beside ``editor`` (in
    a splitter) and ``edit_title`` above ``editor``.
    """

    def __init__(self, editor: XmlEditor, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.running = False
        self.live_editor = XmlEditor()
        self.live_editor.setReadOnly(True)
        self.live_title = dim(plain_label(self.tr("Running now (read-only)"), selectable=False))
        self.edit_title = dim(plain_label(self.tr("Next boot"), selectable=False))
        self.running_label = plain_label(
            self.tr("This virtual machine is running. Changes take effect at the next boot."),
            selectable=False,
        )
        self.compare_button = QPushButton(self.tr("Compare with R&unning"))
        self.compare_button.setCheckable(True)
        self.compare_button.setToolTip(
            self.tr("Show the running configuration beside the one for the next boot")
        )

        banner = QHBoxLayout()
        banner.addWidget(self.running_label, 1)
        banner.addWidget(self.compare_button)
        self.banner = QWidget()
        self.banner.setLayout(banner)
        banner.setContentsMargins(0, 0, 0, 0)
        self.live_panel = QWidget()
        live_layout = QVBoxLayout(self.live_panel)
        live_layout.setContentsMargins(0, 0, 0, 0)
        live_layout.addWidget(self.live_title)
        live_layout.addWidget(self.live_editor, 1)
        self.live_panel.setVisible(False)
        self.edit_title.setVisible(False)
        self.banner.setVisible(False)

        self.compare_button.toggled.connect(self._compare_toggled)
        editor.textChanged.connect(self._text_changed)
        scroll_together(editor, self.live_editor)

    def set_live(self, live: str | None) -> None:
        """Show the banner and the live XML for a running domain (``live``), or hide them."""
        self.running = live is not None
        self.banner.setVisible(self.running)
        self.live_editor.setPlainText(live or "")
        if not self.running and self.compare_button.isChecked():
            self.compare_button.setChecked(False)
        self._compare_toggled(self.compare_button.isChecked())

    def _compare_toggled(self, on: bool) -> None:
        on = on and self.running
        self.live_panel.setVisible(on)
        self.edit_title.setVisible(on)
        self.compare_button.setText(
            self.tr("Hide &Running") if on else self.tr("Compare with R&unning")
        )
        self.mark_differences()

    def mark_differences(self) -> int:
        """Shade the lines that differ between the live and the next-boot XML.

        Returns how many lines of the next-boot XML differ (0 when not comparing).
        """
        comparing = self.live_panel.isVisible() or (
            self.running and self.compare_button.isChecked()
        )
        if not comparing:
            shade_lines(self.live_editor, [])
            shade_lines(self.editor, [])
            return 0
        live_lines, edited_lines = line_differences(
            self.live_editor.toPlainText(), self.editor.toPlainText()
        )
        shade_lines(self.live_editor, live_lines)
        shade_lines(self.editor, edited_lines)
        differ = max(len(edited_lines), len(live_lines))
        if differ:
            self.edit_title.setText(
                self.tr(
                    "Next boot — %n line(s) differ from the running configuration", None, differ
                )
            )
        else:
            self.edit_title.setText(self.tr("Next boot — the same as the running configuration"))
        return len(edited_lines)

    def _text_changed(self) -> None:
        if self.live_panel.isVisible():
            self.mark_differences()
