"""The pane beside the tree: what the selected domain or connection is.

A domain's details come from ``Connection.details`` (a worker call), so the
pane shows "Loading…" when the selection moves, keeps the old content while
it refreshes the same domain, and drops answers that arrive after the
selection moved on. A connection's overview needs no call: it is redrawn
from ``conn.host`` and ``conn.state`` whenever the connection signals.

The pages themselves are in ``domain_page``, ``host_page`` and
``message_page``. All text from the host (names, descriptions, paths, error
messages) goes into plain-text labels and item views; nothing renders markup.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.tasks import TaskSet
from kvmdesk.ui.common.fitting_tabs import FittingTabBar
from kvmdesk.ui.common.message_page import MessagePage
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.common.widgets import dim, plain_label, scaled_font, scroll_page
from kvmdesk.ui.domain.console.console_page import ConsolePage
from kvmdesk.ui.domain.display.display_page import DisplayPage
from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage
from kvmdesk.ui.domain.overview.domain_page import DomainOverview
from kvmdesk.ui.domain.overview.selection_page import SelectionOverview
from kvmdesk.ui.domain.performance.performance_page import PerformancePage
from kvmdesk.ui.domain.screenshot.screenshot_view import ScreenshotView
from kvmdesk.ui.domain.snapshots.snapshots_page import SnapshotsPage
from kvmdesk.ui.domain.xml.xml_page import XmlPage
from kvmdesk.ui.host.host_page import ConnectionOverview
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.records import DomainDetails, DomainRecord

log = logging.getLogger(__name__)


class DetailsPane(QTabWidget):
    """Overview, screenshot, console and XML of the selected domain, or a connection's overview.

    ``clear()`` does not remove the tabs as ``QTabWidget.clear`` would: it points
    the pane at nothing and shows the invitation to select something.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None  # None: the connection itself is shown
        self._links: list[QMetaObject.Connection] = []
        self._selection = 0  # bumped whenever the pane is pointed elsewhere
        self._busy_for: int | None = None  # selection whose details are being fetched
        self._again = False  # another fetch is wanted once the current one ends
        self._tasks = TaskSet("loading domain details", log)

        self.placeholder = dim(
            plain_label(self.tr("Select a virtual machine or a connection"), selectable=False)
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setFont(scaled_font(self.font(), 1.15, bold=False))

        self.message = MessagePage()
        self.domain_overview = DomainOverview()
        self.connection_overview = ConnectionOverview()
        self.overview = QStackedWidget()
        self.overview.addWidget(self.placeholder)
        self.overview.addWidget(self.message)
        self._domain_page = scroll_page(self.domain_overview)
        self._connection_page = scroll_page(self.connection_overview)
        self.overview.addWidget(self._domain_page)
        self.overview.addWidget(self._connection_page)
        self.selection_overview = SelectionOverview()
        self._selection_page = scroll_page(self.selection_overview)
        self.overview.addWidget(self._selection_page)

        self.setDocumentMode(True)
        self.fitting = FittingTabBar(self)  # names where they fit, else icons
        self.setTabBar(self.fitting)
        self.addTab(self.overview, self.tr("Overview"))
        self.screenshot_tab, self.console_tab, self.xml_tab = self._create_guest_tabs()
        self.addTab(self.screenshot_tab, self.tr("Screenshot"))
        self.display_tab = DisplayPage()
        self.addTab(self.display_tab, self.tr("Display"))
        self.addTab(self.console_tab, self.tr("Console"))
        self.addTab(self.xml_tab, self.tr("XML"))
        self.performance_tab = PerformancePage()
        self._performance_page = scroll_page(self.performance_tab)
        self.addTab(self._performance_page, self.tr("Performance"))
        self.hardware_tab = HardwarePage()
        self.insertTab(1, self.hardware_tab, self.tr("Hardware"))
        self.snapshots_tab = SnapshotsPage()
        self.addTab(self.snapshots_tab, self.tr("Snapshots"))
        # Each domain tab's page and the widget the tab bar holds for it.
        self._guest_tabs: tuple[tuple[Any, QWidget], ...] = (
            (self.hardware_tab, self.hardware_tab),
            (self.screenshot_tab, self.screenshot_tab),
            (self.display_tab, self.display_tab),
            (self.console_tab, self.console_tab),
            (self.xml_tab, self.xml_tab),
            (self.performance_tab, self._performance_page),
            (self.snapshots_tab, self.snapshots_tab),
        )
        for name, widget in self.tab_names().items():  # each name has its glyph
            self.fitting.set_glyph(self.indexOf(widget), name)
        self.currentChanged.connect(self._on_current_changed)

        self._ticker = QTimer(self)  # counts down "Reconnecting in N s"
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.clear()

    def _create_guest_tabs(self) -> tuple[ScreenshotView, ConsolePage, XmlPage]:
        """The widgets behind the Screenshot, Console and XML tabs."""
        return ScreenshotView(), ConsolePage(), XmlPage()

    # -- public API -------------------------------------------------------

    def tab_names(self) -> dict[str, QWidget]:
        """The tabs by the names the command line uses (``--show-domain-*``)."""
        return {
            "overview": self.overview,
            "screenshot": self.screenshot_tab,
            "display": self.display_tab,
            "console": self.console_tab,
            "xml": self.xml_tab,
            "performance": self._performance_page,
            "hardware": self.hardware_tab,
            "snapshots": self.snapshots_tab,
        }

    def show_tab(self, name: str) -> None:
        """Bring the tab called ``name`` (a key of ``tab_names``) to the front."""
        self.setCurrentWidget(self.tab_names()[name])

    @property
    def connection(self) -> Connection | None:
        return self._conn

    @property
    def uuid(self) -> str | None:
        return self._uuid

    def clear(self) -> None:
        """Show nothing but the invitation to select something."""
        self._selection += 1
        self._unwatch()
        self._conn = self._uuid = None
        self._ticker.stop()
        self._clear_guest_tabs()
        self._set_guest_tabs_visible(False)
        self.tabBar().setVisible(False)
        self.setCurrentWidget(self.overview)
        self.overview.setCurrentWidget(self.placeholder)

    def show_selection(self, selected: list[Selected], actions: list[QAction]) -> None:
        """Several domains: what they have in common and the ``actions`` that apply."""
        self.clear()
        self.selection_overview.set_selection(selected, actions)
        self.overview.setCurrentWidget(self._selection_page)

    def show_domain(self, conn: Connection, uuid: str) -> None:
        """Show one domain; showing the same one again refreshes it."""
        if not shiboken6.isValid(conn):
            self.clear()
            return
        if conn is self._conn and uuid == self._uuid:
            self._domain_update()
            return
        self._point_at(conn, uuid)
        for page, _widget in self._guest_tabs:
            page.show_domain(conn, uuid)
        self._show_message(self.tr("Loading…"))
        self._domain_update()

    def show_connection(self, conn: Connection) -> None:
        """Show a connection's overview, kept current from its signals."""
        if not shiboken6.isValid(conn):
            self.clear()
            return
        self._point_at(conn, None)
        self._clear_guest_tabs()
        self.setCurrentWidget(self.overview)
        self._connection_update()

    def _on_current_changed(self, _index: int) -> None:
        for page, widget in self._guest_tabs:
            page.set_shown(self.currentWidget() is widget)

    def _clear_guest_tabs(self) -> None:
        for page, _widget in self._guest_tabs:
            page.clear()

    def _point_at(self, conn: Connection, uuid: str | None) -> None:
        """Follow ``conn`` and show its domain ``uuid``, or the connection itself."""
        self._selection += 1
        self._watch(conn)
        self._uuid = uuid
        self._set_guest_tabs_visible(uuid is not None)
        self.tabBar().setVisible(True)

    # -- following the connection ----------------------------------------------

    def _watch(self, conn: Connection) -> None:
        if conn is self._conn and self._links:
            return
        self._unwatch()
        self._conn = conn
        self._links = [
            conn.stateChanged.connect(self._on_state_changed),
            conn.hostChanged.connect(self._on_host_changed),
            conn.domainChanged.connect(self._on_domain_changed),
            conn.domainRemoved.connect(self._on_domain_removed),
            conn.destroyed.connect(self._on_conn_destroyed),
        ]

    def _unwatch(self) -> None:
        for link in self._links:
            QObject.disconnect(link)
        self._links = []

    def _on_conn_destroyed(self, _obj: object = None) -> None:
        self._links = []  # gone with the object
        self.clear()

    def _on_state_changed(self) -> None:
        if self._conn is None:
            return
        if self._uuid is None:
            self._connection_update()
        else:
            self._domain_update()

    def _on_host_changed(self, _host: object) -> None:
        if self._conn is not None and self._uuid is None:
            self._connection_update()

    def _on_domain_changed(self, record: DomainRecord) -> None:
        if self._uuid is not None and record.uuid == self._uuid:
            self._domain_update()

    def _on_domain_removed(self, uuid: str) -> None:
        if self._uuid is not None and uuid == self._uuid:
            self._domain_update()

    def _tick(self) -> None:
        conn = self._conn
        if conn is None or not shiboken6.isValid(conn) or conn.state is not ConnState.WAITING:
            self._ticker.stop()
            return
        if self._uuid is None:
            self.connection_overview.update_state(conn)
        else:
            self._show_disconnected(conn)

    def _follow_countdown(self, conn: Connection) -> None:
        if conn.state is ConnState.WAITING:
            self._ticker.start()
        else:
            self._ticker.stop()

    # -- connection view ------------------------------------------------------------

    def _connection_update(self) -> None:
        conn = self._conn
        if conn is None:
            return
        self.connection_overview.set_connection(conn)
        self.overview.setCurrentWidget(self._connection_page)
        self._follow_countdown(conn)

    # -- domain view ---------------------------------------------------------------

    def _set_guest_tabs_visible(self, visible: bool) -> None:
        for _page, widget in self._guest_tabs:
            self.setTabVisible(self.indexOf(widget), visible)
        self.fitting.refit()

    def _show_message(self, headline: str, hint: str = "", details: str = "") -> None:
        self.message.show_message(headline, hint, details)
        self.overview.setCurrentWidget(self.message)

    def _show_disconnected(self, conn: Connection) -> None:
        failure = conn.failure
        self._show_message(
            messages.connection_state_text(conn),
            messages.failure_hint(failure) if failure is not None else "",
            failure.message if failure is not None else "",
        )

    def _domain_update(self) -> None:
        """Fetch the shown domain's details, at most one fetch at a time."""
        conn = self._conn
        if conn is None or self._uuid is None:
            return
        self._follow_countdown(conn)
        if not conn.is_connected:
            self._show_disconnected(conn)
            return
        if self._busy_for == self._selection:
            self._again = True
            return
        self._fetch(conn, self._uuid)

    def _fetch(self, conn: Connection, uuid: str) -> None:
        selection = self._selection
        self._busy_for = selection
        self._again = False
        self._tasks.spawn(self._load(selection, conn, uuid))

    async def _load(self, selection: int, conn: Connection, uuid: str) -> None:
        details: DomainDetails | None = None
        failure: Failure | None = None
        try:
            details = await conn.details(uuid)
        except asyncio.CancelledError:
            if shiboken6.isValid(self) and self._busy_for == selection:
                self._busy_for = None
            raise
        except Exception as exc:  # libvirtError; RuntimeError when the worker shut down
            failure = classify(exc)
        if not shiboken6.isValid(self) or selection != self._selection:
            return  # the pane was deleted or points elsewhere now
        self._busy_for = None
        if not shiboken6.isValid(conn) or not conn.is_connected:
            if shiboken6.isValid(conn):
                self._show_disconnected(conn)
            return
        if failure is not None:
            if failure.kind is ErrorKind.NO_DOMAIN:
                self._show_gone()
            else:
                self.message.show_failure(failure)
                self.overview.setCurrentWidget(self.message)
        elif details is None:
            self._show_gone()
        else:
            self.domain_overview.set_details(details)
            self.overview.setCurrentWidget(self._domain_page)
        if self._again:
            self._domain_update()

    def _show_gone(self) -> None:
        self._show_message(self.tr("This virtual machine no longer exists."))
