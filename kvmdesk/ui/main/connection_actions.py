"""The window's actions on connections, enabled by the selected connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from kvmdesk.core.connect_log import open_logged
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.models.icons import icon
from kvmdesk.paths import demo_uri
from kvmdesk.ui.connection.add_connection import AddConnectionDialog
from kvmdesk.ui.connection.consent_dialog import ConsentDialog
from kvmdesk.ui.host.host_window import open_host_details


class ConnectionActions(QObject):
    """Add Connection, Open Demo Host, Connect, Disconnect, Connection Details
    and Remove Connection, shared by the File menu, toolbar and context menu.

    ``selected`` gives the selected connection; ``changed`` is called after
    a connection is opened or closed from here, ``removing`` just before one
    is taken off the list.
    """

    def __init__(
        self,
        window: QWidget,
        manager: ConnectionManager,
        selected: Callable[[], Connection | None],
        changed: Callable[[], None],
        removing: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._manager = manager
        self._selected = selected
        self._changed = changed
        self._removing = removing
        self.add_conn = QAction(icon("conn-connected"), self.tr("&Add Connection…"), window)
        self.add_conn.triggered.connect(self._add_connection)
        self.open_demo = QAction(self.tr("Open &Demo Host"), window)
        self.open_demo.triggered.connect(self._open_demo)
        self.connect_act = QAction(icon("conn-connected"), self.tr("&Connect"), window)
        self.connect_act.triggered.connect(lambda: self._for_connection(self.connect_to))
        self.disconnect_act = QAction(icon("conn-disconnected"), self.tr("Dis&connect"), window)
        self.disconnect_act.triggered.connect(lambda: self._for_connection(Connection.close))
        self.host_details_act = QAction(self.tr("Connection &Details"), window)
        self.host_details_act.triggered.connect(self._open_host_details)
        self.edit_conn = QAction(self.tr("&Edit Connection…"), window)
        self.edit_conn.triggered.connect(self._edit_connection)
        self.remove_conn = QAction(self.tr("&Remove Connection"), window)
        self.remove_conn.triggered.connect(self._remove_connection)

    def for_connection_row(self) -> tuple[QAction, ...]:
        """The actions of a connection's context menu, in order."""
        return (
            self.connect_act,
            self.disconnect_act,
            self.host_details_act,
            self.edit_conn,
            self.remove_conn,
        )

    # -- enabling ---------------------------------------------------------

    def update_for(self, conn: Connection | None) -> None:
        """Enable the actions that apply to ``conn`` (None: nothing selected)."""
        self.update_state(conn)
        self.remove_conn.setEnabled(conn is not None)
        # The demo host and other unsaved connections have nothing to edit.
        self.edit_conn.setEnabled(conn is not None and conn.persist)
        self.host_details_act.setEnabled(conn is not None)

    def update_state(self, conn: Connection | None) -> None:
        """Enable Connect or Disconnect after ``conn`` changed state.

        While a connection is being opened (or waits to retry), Disconnect
        reads "Cancel Connecting": the attempt is abandoned at once.
        """
        self.connect_act.setEnabled(conn is not None and conn.state is ConnState.DISCONNECTED)
        self.disconnect_act.setEnabled(
            conn is not None and conn.state is not ConnState.DISCONNECTED
        )
        trying = conn is not None and conn.state in (ConnState.CONNECTING, ConnState.WAITING)
        self.disconnect_act.setText(
            self.tr("Cancel Co&nnecting") if trying else self.tr("Dis&connect")
        )

    # -- handlers ---------------------------------------------------------

    def activate(self, conn: Connection) -> None:
        """A connection row was double-clicked: show its host, or connect."""
        if conn.is_connected:
            open_host_details(self._window, conn)
        else:
            self.connect_to(conn)

    def connect_to(self, conn: Connection) -> None:
        """Open ``conn``; an unsafe URI first needs the user's consent again."""
        if conn.needs_consent:
            dialog = ConsentDialog(conn.uri, self._window)
            accepted = dialog.exec() == ConsentDialog.DialogCode.Accepted and dialog.consent()
            remember = dialog.remember()
            dialog.deleteLater()
            if not accepted:
                return
            conn.give_consent(remember)
            if remember:
                self._manager.save()
        open_logged(conn)

    def _for_connection(self, method: Any) -> None:
        conn = self._selected()
        if conn is not None:
            method(conn)
            self._changed()

    def _add_connection(self) -> None:
        dialog = AddConnectionDialog(self._window)
        if dialog.exec() != AddConnectionDialog.DialogCode.Accepted:
            return
        conn = self._manager.add(
            dialog.uri(),
            autoconnect=dialog.autoconnect(),
            allow_unsafe=dialog.consent(),
            remember_consent=dialog.remember_consent(),
        )
        open_logged(conn)

    def _edit_connection(self) -> None:
        conn = self._selected()
        if conn is None:
            return
        dialog = AddConnectionDialog(self._window)
        dialog.edit(conn.uri, conn.autoconnect)
        if dialog.exec() != AddConnectionDialog.DialogCode.Accepted:
            return
        if dialog.uri() != conn.uri:
            self._removing()
        self._manager.edit(
            conn,
            dialog.uri(),
            dialog.autoconnect(),
            allow_unsafe=dialog.consent(),
            remember_consent=dialog.remember_consent(),
        )
        self._changed()

    def _open_demo(self) -> None:
        self._manager.add(demo_uri(), persist=False).open()

    def _open_host_details(self) -> None:
        conn = self._selected()
        if conn is not None:
            open_host_details(self._window, conn)

    def _remove_connection(self) -> None:
        conn = self._selected()
        if conn is None:
            return
        box = QMessageBox(self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowTitle(self.tr("Remove Connection"))
        box.setText(self.tr("Remove the connection “{0}” from the list?").format(conn.uri))
        box.setInformativeText(self.tr("Its virtual machines are not affected."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        if box.exec() == QMessageBox.StandardButton.Yes:
            self._removing()
            self._manager.remove(conn)
