"""A banner over the list when the first start fell back to the demo host.

It says why (no hypervisor answered on this computer), that the demo host
is not a real one, and how to reach a real host: install and start
libvirtd, or add a remote connection. The URIs tried and libvirt's words
are in its tooltip. The user can close it; it is never shown again for
that start.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import plain_label


class DemoBanner(QFrame):
    def __init__(
        self, add_connection: QPushButton | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.setAccessibleName(tr("Demo host"))
        self.text = plain_label(
            tr(
                "No hypervisor answered on this computer, so kvmdesk opened its demo host: "
                "its virtual machines are not real, and nothing done to them reaches a real "
                "machine. To manage real virtual machines, install libvirt and start libvirtd "
                "(on Debian: apt install libvirt-daemon-system), then restart kvmdesk; or add "
                "a remote host with Add Connection."
            ),
            selectable=False,
        )
        self.text.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.add_button = add_connection or QPushButton(tr("Add Connection…"))
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(tr("Close this message"))
        self.close_button.setAccessibleName(tr("Close this message"))
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

    def show_reasons(self, tried: list[tuple[str, str]]) -> None:
        lines = [tr("{0}: {1}").format(uri, why or tr("no answer")) for uri, why in tried]
        self.setToolTip(messages.plain_tooltip("\n".join(lines)))
        self.show()


def attach(manager: ConnectionManager, window: QMainWindow, add_connection: QAction) -> DemoBanner:
    """Put a (hidden) banner above the window's content; shown on a fall-back to the demo."""
    button = QPushButton(tr("Add Connection…"))
    button.clicked.connect(add_connection.trigger)
    banner = DemoBanner(button)
    banner.hide()
    content = window.takeCentralWidget()
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    if content is not None:
        layout.addWidget(content, 1)
    window.setCentralWidget(holder)
    manager.fellBackToDemo.connect(banner.show_reasons)
    return banner
