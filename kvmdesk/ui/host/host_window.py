"""The Host Details window of one connection: overview, virtualization
check, virtual networks and storage, one tab each.

One window per connection: ``open_host_details`` raises the one already
open instead of making another. Data is fetched when a tab is first shown
(the check and the networks run on the connection's worker) and again
when the connection comes back.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.widgets import scroll_page
from kvmdesk.ui.host.host_check_page import HostCheckPage
from kvmdesk.ui.host.host_page import ConnectionOverview
from kvmdesk.ui.host.networks_page import NetworksPage
from kvmdesk.ui.host.storage_page import StoragePage


class HostDetailsWindow(QMainWindow):
    def __init__(self, conn: Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.conn = conn
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr("{0} – Connection Details").format(messages.connection_label(conn)))
        self.overview = ConnectionOverview()
        self.check_page = HostCheckPage()
        self.networks_page = NetworksPage()
        self.storage_page = StoragePage()
        self.check_page.set_connection(conn)
        self.networks_page.set_connection(conn)
        self.storage_page.set_connection(conn)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll_page(self.overview), tr("Overview"))
        self.tabs.addTab(self.check_page, tr("Virtualization Check"))
        self.tabs.addTab(self.networks_page, tr("Virtual Networks"))
        self.tabs.addTab(self.storage_page, tr("Storage"))
        self.setCentralWidget(self.tabs)
        self.resize(860, 640)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        self._loaded: set[QWidget] = set()
        self.tabs.currentChanged.connect(self._tab_shown)
        conn.stateChanged.connect(self._state_changed)
        conn.hostChanged.connect(self._host_changed)
        self._conn_alive = True
        conn.destroyed.connect(self._conn_destroyed)  # removed from the list
        self.overview.set_connection(conn)

    def _tab_shown(self, _index: int = -1) -> None:
        page = self.tabs.currentWidget()
        if page in self._loaded or not self.conn.is_connected:
            return
        if page is self.check_page:
            self._loaded.add(page)
            self.check_page.start()
        elif page is self.networks_page:
            self._loaded.add(page)
            self.networks_page.start_refresh()
        elif page is self.storage_page:
            self._loaded.add(page)
            self.storage_page.start_refresh()

    def _state_changed(self) -> None:
        if not shiboken6.isValid(self):
            return
        self.overview.set_connection(self.conn)
        self.networks_page.update_buttons()
        self.storage_page.update_buttons()
        if self.conn.is_connected:
            self._loaded.clear()  # fetch again what the link now shows
            self._tab_shown()

    def _host_changed(self, _host: object) -> None:
        if shiboken6.isValid(self):
            self.overview.set_connection(self.conn)

    def _conn_destroyed(self, _obj: object = None) -> None:
        self._conn_alive = False
        if shiboken6.isValid(self):
            self.close()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._tab_shown()

    def closeEvent(self, event: QCloseEvent) -> None:
        for signal, slot in (
            (self.conn.stateChanged, self._state_changed),
            (self.conn.hostChanged, self._host_changed),
        ):
            if self._conn_alive and shiboken6.isValid(self.conn):
                signal.disconnect(slot)
        if self._conn_alive:
            self.networks_page.disconnect_connection()
            self.storage_page.disconnect_connection()
        self.overview.stop_usage()
        super().closeEvent(event)


_open: dict[int, HostDetailsWindow] = {}  # id(connection) -> its window


def _forget(key: int, window: HostDetailsWindow) -> None:
    if _open.get(key) is window:
        del _open[key]


def open_host_details(
    parent: QWidget | None, conn: Connection, jobs: JobService | None = None
) -> HostDetailsWindow:
    """Show the Host Details window of ``conn``, raising the one already open.

    ``jobs`` runs its long operations (uploads into a pool); without it they are not offered.
    """
    window = _open.get(id(conn))
    if window is None or not shiboken6.isValid(window) or window.conn is not conn:
        window = HostDetailsWindow(conn, parent)
        key = id(conn)
        _open[key] = window
        window.destroyed.connect(lambda _obj=None, w=window: _forget(key, w))
    if jobs is not None:
        window.storage_page.jobs = jobs
        window.storage_page.update_buttons()
    window.show()
    window.raise_()
    window.activateWindow()
    return window
