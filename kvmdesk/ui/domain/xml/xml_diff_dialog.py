"""A question about two versions of a definition, shown side by side.

Used when a save would overwrite someone else's change (the XML tab) and
when Define or Create from XML would replace an existing virtual machine's
definition. Cancel is the default button: the choice that loses nothing.
Secrets are masked on both sides; one that differs says so.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.domxml.secrets import mask_pair
from kvmdesk.ui.common.widgets import plain_label, scaled_font
from kvmdesk.ui.domain.xml.xml_sidebyside import SideBySide


class CompareDialog(QDialog):
    """``headline`` and ``explanation`` above ``left`` and ``right`` side by side.

    Add the choices with ``add_choice``; ``clicked`` is the button pressed
    (None for Cancel or Escape).
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        headline: str,
        explanation: str,
        left: tuple[str, str],
        right: tuple[str, str],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.clicked: QAbstractButton | None = None
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = plain_label(headline)
        self.headline.setFont(scaled_font(self.font(), 1.15))
        self.explanation = plain_label(explanation)
        left_text, right_text = mask_pair(left[1], right[1])
        self.comparison = SideBySide(left[0], left_text, right[0], right_text)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        heading = QVBoxLayout()
        heading.addWidget(self.headline)
        heading.addWidget(self.explanation)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(icon)
        top.addLayout(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.comparison, 1)
        layout.addWidget(self.buttons)
        self.cancel_button.setFocus()
        self.resize(self._fitting(QSize(980, 660)))

    def _fitting(self, wanted: QSize) -> QSize:
        """``wanted``, or less on a small screen."""
        screen = self.screen()
        if screen is None:
            return wanted
        return wanted.boundedTo(screen.availableGeometry().size() * 0.9)

    def add_choice(self, text: str, role: QDialogButtonBox.ButtonRole) -> QPushButton:
        """A button that closes the dialog as accepted; never the default."""
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.setDefault(False)
        self.buttons.addButton(button, role)
        button.clicked.connect(lambda: self._choose(button))
        return button

    def _choose(self, button: QAbstractButton) -> None:
        self.clicked = button
        self.accept()
