"""What went wrong, in words: a headline, a hint and libvirt's own message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font
from kvmdesk.virt.errors import Failure


class ProblemText:
    """The widgets of a message: a headline, an optional hint and, under a
    "Details" expander (closed at first), libvirt's own words. Whoever owns
    them lays them out."""

    def __init__(self, font: QFont) -> None:
        self.headline = plain_label()
        self.hint = plain_label()
        self.details_heading = QToolButton()
        self.details_heading.setText(tr("Details"))
        self.details_heading.setCheckable(True)
        self.details_heading.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_heading.setAutoRaise(True)
        self.details_heading.setFont(scaled_font(font, 1.0))
        self.details_heading.setAccessibleName(tr("Show libvirt's message"))
        self.details = dim(plain_label())
        self.details_heading.toggled.connect(self._expand)
        self._expand(False)

    def labels(self) -> tuple[QLabel, QLabel, QWidget, QLabel]:
        return self.headline, self.hint, self.details_heading, self.details

    def show(self, headline: str, hint: str = "", details: str = "") -> None:
        self.headline.setText(headline)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.details.setText(details)
        self.details_heading.setVisible(bool(details))
        self.details.setVisible(bool(details) and self.details_heading.isChecked())

    def show_failure(self, failure: Failure) -> None:
        self.show(
            messages.failure_summary(failure), messages.failure_hint(failure), failure.message
        )

    def _expand(self, expanded: bool) -> None:
        self.details_heading.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self.details.setVisible(expanded and bool(self.details.text()))


class MessagePage(QWidget):
    """A centred message: a headline, an optional hint and libvirt's own words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ProblemText(self.font())
        self.headline, self.hint, self.details_heading, self.details = self.text.labels()
        self.headline.setFont(scaled_font(self.font(), 1.15))
        for label in (self.headline, self.hint, self.details):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QWidget()
        box.setMaximumWidth(560)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(10)
        box_layout.addWidget(self.headline)
        box_layout.addWidget(self.hint)
        box_layout.addSpacing(6)
        box_layout.addWidget(self.details_heading, 0, Qt.AlignmentFlag.AlignHCenter)
        box_layout.addWidget(self.details)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.show_message("")

    def show_message(self, headline: str, hint: str = "", details: str = "") -> None:
        self.text.show(headline, hint, details)

    def show_failure(self, failure: Failure) -> None:
        self.text.show_failure(failure)
