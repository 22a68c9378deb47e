"""The main window: connection/domain tree, details pane, actions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.actions import ActionService
from kvmdesk.core.connection import Connection
from kvmdesk.core.jobs import JobService
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.preferences import NewVmDefaults
from kvmdesk.core.search import Query
from kvmdesk.core.snapshots import SnapshotService
from kvmdesk.core.tasks import TaskSet
from kvmdesk.core.tree_layout import TreeLayout
from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.icons import icon
from kvmdesk.models.row_facts import matcher
from kvmdesk.models.tree import Column, DomainTreeModel, Role
from kvmdesk.ui.common.errors import ask_yes
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.screenshot.send_keys import SendKeysMenu, one_running
from kvmdesk.ui.domain.snapshots.snapshot_many import snapshot_many
from kvmdesk.ui.main.actions import DomainActions
from kvmdesk.ui.main.clone_dialog import clone_domain
from kvmdesk.ui.main.command_log_dock import view_menu
from kvmdesk.ui.main.domain_commands import DomainCommands
from kvmdesk.ui.main.grouping import Grouping, shown_members
from kvmdesk.ui.main.jobs_view import JobsDock
from kvmdesk.ui.main.migrate_dialog import migrate_domain
from kvmdesk.ui.main.saved_file_dialogs import save_to_file
from kvmdesk.ui.main.tag_dialog import edit_selected_tags
from kvmdesk.ui.main.tree_columns import install_column_menu
from kvmdesk.ui.main.tree_source import TreeSource
from kvmdesk.ui.main.window_menus import WindowMenus
from kvmdesk.ui.new_vm import open_new_vm_wizard
from kvmdesk.virt.lifecycle import Verb
from kvmdesk.virt.records import DomainRecord

log = logging.getLogger(__name__)


class MainWindow(WindowMenus):
    columnsChanged = Signal()  # a column was shown or hidden from the header's menu

    def __init__(self, manager: ConnectionManager, actions: ActionService) -> None:
        super().__init__()
        self.manager = manager
        self.new_vm_defaults = NewVmDefaults()  # what New VM picks first (Preferences)
        self.service = actions
        self._tasks = TaskSet("window action")
        self.jobs: JobService | None = None  # attach_jobs
        self._quit_with_jobs = False  # the user said to quit while jobs run
        self.setWindowTitle(self.tr("kvmdesk — Virtual Machine Manager"))
        self.setWindowIcon(icon("kvmdesk"))
        self.resize(1100, 680)

        self.model = DomainTreeModel(manager, self)
        self.grouping: Grouping | None = None

        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        # What the tree shows (rows the search hides hidden): the host
        # tree, or the groups model (``attach_layout``).
        self.tree_source = TreeSource(self.tree, self.model, self._selection_changed, self)
        self.tree.setUniformRowHeights(True)
        # Nothing in the list is edited in place (a usage cell not made yet
        # would otherwise take Qt's default flags, which allow it).
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The header sorts the model directly (it keeps its rows in order
        # itself), so view sorting stays off.
        header = self.tree.header()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)

        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in (
            (Column.STATE, 150),
            (Column.VCPUS, 60),
            (Column.MEMORY, 90),
            (Column.CPU, 70),
        ):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            # Never narrower than the header's words (a larger font, a translation).
            self.tree.setColumnWidth(col, max(width, header.sectionSizeFromContents(col).width()))
        # The optional columns (IP Address, usage), ticked in the header's menu.
        install_column_menu(self.tree, self.model, self.columnsChanged.emit)
        self.tree.setAccessibleName(self.tr("Connections and virtual machines"))

        self.details = DetailsPane(self)
        splitter = QSplitter(self)
        # The tree, and above it the Views section (``attach_layout``).
        self.tree_pane = QWidget(splitter)
        pane = QVBoxLayout(self.tree_pane)
        pane.setContentsMargins(0, 0, 0, 0)
        pane.setSpacing(0)
        pane.addWidget(self.tree)
        splitter.addWidget(self.tree_pane)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 480])
        self.setCentralWidget(splitter)

        self.acts = DomainActions(self)
        self.acts.send_key.setMenu(SendKeysMenu(lambda: one_running(self.selected_domains()), self))
        self._build_connection_actions()
        self._build_menus()
        self._build_toolbar()
        self.busy_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.busy_label)

        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.watch_model(self.model)
        self.service.started.connect(self._busy_changed)
        self.service.finished.connect(self._busy_changed)
        self.commands = DomainCommands(self, self.service, self.selected_domains, self._spawn)
        for action, verb in self.acts.verbs.items():
            action.triggered.connect(lambda _checked=False, v=verb: self.commands.apply_verb(v))
        self.acts.autostart.toggled.connect(self.commands.toggle_autostart)
        self.acts.delete.triggered.connect(lambda: self._spawn(self.commands.delete_selected()))
        self.acts.edit_tags.triggered.connect(
            lambda: self._spawn(edit_selected_tags(self, self.selected_domains(), self.model.facts))
        )
        self.acts.details.triggered.connect(self._show_details)
        self.acts.snapshots.triggered.connect(lambda: self.details.show_tab("snapshots"))
        # New VM is there as soon as any connection is up, whatever is selected.
        manager.connectionAdded.connect(lambda c: c.stateChanged.connect(self._update_new_vm))
        manager.connectionRemoved.connect(self._update_new_vm)
        for conn in manager.connections:
            conn.stateChanged.connect(self._update_new_vm)
        self._selection_changed()

    # -- what the tree shows ------------------------------------------------

    def watch_model(self, model: DomainTreeModel | GroupsModel) -> None:
        """Follow the rows and changes of a model the tree may show."""
        self.tree_source.watch(model)
        model.dataChanged.connect(
            lambda top, bottom, _roles=None: self._data_changed(model, top, bottom)
        )

    @property
    def source(self) -> DomainTreeModel | GroupsModel:
        """The model the tree shows (the host tree or the groups)."""
        return self.tree_source.source

    def attach_layout(self, layout: TreeLayout) -> None:
        """Grouping, saved views and host groups, kept in ``layout``."""
        self.grouping = Grouping(self, layout)

    @property
    def shown_model(self) -> QAbstractItemModel:
        """The model the tree shows (rows the search hides are hidden in the tree)."""
        return self.tree.model()

    def from_source(self, index: QModelIndex) -> QModelIndex:
        """An index of ``self.source`` as the tree shows it (invalid when filtered out)."""
        return self.tree_source.from_source(index)

    def select_domain(self, conn: Connection, uuid: str) -> bool:
        """Select one domain's row and scroll to it; False when it is not shown."""
        index = self.from_source(self.source.index_of_domain(conn, uuid))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.tree.selectionModel().setCurrentIndex(
            index, flags | QItemSelectionModel.SelectionFlag.Rows
        )
        self.tree.scrollTo(index)
        return True

    def select_domain_when_listed(self, conn: Connection, uuid: str) -> None:
        """Select the domain's row now, or as soon as the connection lists it
        (a domain just defined or created arrives through its event)."""
        if uuid in conn.domains:
            self.select_domain(conn, uuid)
            return

        def listed(record: DomainRecord) -> None:
            if record.uuid == uuid:
                conn.domainChanged.disconnect(listed)
                self.select_domain(conn, uuid)

        conn.domainChanged.connect(listed)

    def _search_changed(self, query: Query) -> None:
        searching = not query.empty
        # Rows hide as they are marked, and show again as they are unmarked.
        self.tree_source.search(searching)
        if searching:
            facts = self.model.facts
            if query.fields & {"tag", "os", "word"}:
                facts.set_enabled(True)
            self.model.set_matcher(matcher(query, facts.tags, facts.os, self.model.addresses.text))
        else:
            self.model.set_matcher(None)

    def set_source(self, source: DomainTreeModel | GroupsModel) -> None:
        """Show the host tree or the groups model (rows the search hides hidden)."""
        if source is not self.source:
            self.tree_source.show(source)

    # -- selection --------------------------------------------------------

    def selected_domains(self) -> list[Selected]:
        """The selected machines; a selected group stands for every machine it shows."""
        result = []
        seen: set[tuple[Connection, str]] = set()
        for shown_index in self.tree.selectionModel().selectedRows(0):
            for index in shown_members(self.shown_model, shown_index, self.tree_source.hider):
                record = self.source.record_at(index)
                conn = self.source.connection_at(index)
                # Rows of a connection that is down are stale: nothing to act on.
                if record is None or conn is None or not conn.is_connected:
                    continue
                if (conn, record.uuid) not in seen:  # a machine shown under two tags
                    seen.add((conn, record.uuid))
                    result.append(Selected(conn, record))
        return result

    def _selected_source_rows(self) -> list[QModelIndex]:
        return self.tree.selectionModel().selectedRows(0)

    def selected_connection(self) -> Connection | None:
        """The connection of the selected rows (the selection, not the
        current row: Qt moves the current row when a row goes away)."""
        for index in self._selected_source_rows():
            conn = self.source.connection_at(index)
            if conn is not None:
                return conn
        return None

    def _selection_changed(self, *_args: object) -> None:
        selected = self.selected_domains()
        self.acts.update_for(selected)
        conn = self.selected_connection()
        self.conns.update_for(conn)
        self.define_acts.update_for(conn)
        self.saved_file_acts.update_for(conn)
        self._update_new_vm()
        rows = self._selected_source_rows()
        if len(rows) != 1 or rows[0].data(Role.KIND) == "group":
            shown = self.details.connection
            vanished = (
                shown is not None
                and self.details.uuid is not None
                and self.details.uuid not in shown.domains
            )
            if rows or not vanished:  # a vanished domain keeps "no longer exists"
                self.details.clear()
            if len(selected) > 1:
                acts = [*self.acts.lifecycle(), self.acts.delete]
                self.details.show_selection(selected, [a for a in acts if a.isEnabled()])
            return
        record = self.source.record_at(rows[0])
        if record is not None and conn is not None:
            self.details.show_domain(conn, record.uuid)
        elif conn is not None:
            self.details.show_connection(conn)

    def _data_changed(
        self, model: QAbstractItemModel, top: QModelIndex, bottom: QModelIndex
    ) -> None:
        # A state change of a selected row changes which actions apply.
        if model is not self.tree.model() or top.column() > Column.STATE:
            return
        selection = self.tree.selectionModel()
        parent = top.parent()
        if parent.data(Role.KIND) == "group" and selection.isRowSelected(
            parent.row(), parent.parent()
        ):  # a machine of a selected group
            self.acts.update_for(self.selected_domains())
            return
        # By the selected ranges, not row by row: a header sort says its keys
        # changed over all 10,000 rows, which took 10-20 ms asking row by row.
        ranges = selection.selection()
        for part in (ranges.at(i) for i in range(ranges.size())):
            if (
                part.parent() == parent
                and part.top() <= bottom.row()
                and part.bottom() >= top.row()
            ):
                self.acts.update_for(self.selected_domains())
                self.conns.update_state(self.selected_connection())
                return

    def _double_clicked(self, index: QModelIndex) -> None:
        conn = self.source.connection_at(index)
        if self.source.record_at(index) is None and conn is not None:
            self.conns.activate(conn)
            return
        self._show_details()

    def attach_jobs(self, jobs: JobService, snapshots: SnapshotService) -> None:
        """The jobs view as a dock (View → Jobs), and the services the tabs run jobs with."""
        self.jobs = jobs
        self.conns.jobs = jobs
        self.jobs_dock = JobsDock(jobs, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        self.jobs_dock.hide()
        jobs_act = self.jobs_dock.toggleViewAction()
        jobs_act.setText(self.tr("&Jobs"))
        view_menu(self).addAction(jobs_act)
        self.details.snapshots_tab.use_service(snapshots)
        made = self.select_domain_when_listed
        conns = self.manager.connections
        self.acts.clone.triggered.connect(
            lambda: self._for_one_selected(
                lambda one: clone_domain(self, one.conn, one.record.uuid, jobs, made)
            )
        )
        self.acts.migrate.triggered.connect(
            lambda: self._for_one_selected(
                lambda one: migrate_domain(self, one.conn, one.record.uuid, conns, jobs, made)
            )
        )
        self.acts.save_to_file.triggered.connect(
            lambda: self._for_one_selected(lambda one: save_to_file(self, jobs, one))
        )
        self.saved_file_acts.jobs = jobs
        self.saved_file_acts.update_for(self.selected_connection())
        self.commands.use_jobs(jobs)
        self.acts.take_snapshot.triggered.connect(lambda: self._take_snapshots(snapshots))

    def _take_snapshots(self, snapshots: SnapshotService) -> None:
        """One selected: its Snapshots tab takes it; several: one name for all."""
        selected = self.selected_domains()
        if len(selected) == 1:
            self.details.show_tab("snapshots")
            self.details.snapshots_tab.take_when_loaded()
        elif selected:
            self._spawn(snapshot_many(self, selected, snapshots))

    def _for_one_selected(self, start: Callable[[Selected], Coroutine[Any, Any, Any]]) -> None:
        """Run ``start`` on the selected domain when exactly one is selected."""
        selected = self.selected_domains()
        if len(selected) == 1:
            self._spawn(start(selected[0]))

    def _show_details(self) -> None:
        self.details.setCurrentIndex(0)
        self.details.setFocus()

    def show_domain_console(self, conn: Connection, uuid: str) -> None:
        """Select the domain's row and show its serial console (``--show-domain-console``)."""
        self.show_domain_tab(conn, uuid, "console")

    def show_domain_tab(self, conn: Connection, uuid: str, tab: str) -> None:
        """Select the domain's row and show one of its details tabs, by name."""
        if not self.select_domain(conn, uuid):  # hidden by the search, or not listed yet
            self.details.show_domain(conn, uuid)
        self.details.show_tab(tab)
        if tab == "console":
            self.details.console_tab.terminal.setFocus()

    async def show_domain_delete(self, conn: Connection, uuid: str) -> None:
        """Select the domain's row and ask about deleting it (``--show-domain-delete``)."""
        self.show_domain_tab(conn, uuid, "overview")
        await self.commands.delete_selected()

    # -- actions ----------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._tasks.spawn(coro)

    def _busy_changed(self, running: int) -> None:
        self.busy_label.setText(self.tr("Working…") if running else "")

    async def _run_verb(self, verb: Verb, targets: list[Selected]) -> None:
        await self.commands.run_verb(verb, targets)

    # -- window -----------------------------------------------------------

    async def _close_if_jobs_may_stop(self, count: int) -> None:
        if await ask_yes(
            self,
            self.tr("Jobs Still Running"),
            self.tr("%n job(s) are still running. Quit anyway?", None, count),
            self.tr(
                "Snapshots, reverts and saves go on in libvirt and end there. Clones and "
                "uploads stop, and what they had copied so far stays on the host."
            ),
        ):
            self._quit_with_jobs = True
            self.close()

    async def _close_if_discarded(self) -> None:
        if not await self.details.xml_tab.confirm_discard(self):
            return
        if await self.details.hardware_tab.confirm_discard(self):
            self.close()

    def show_domain_creator(self, conn: Connection) -> None:
        """Open the New VM wizard for ``conn`` (also ``--show-domain-creator``)."""
        self.new_vm_wizard = open_new_vm_wizard(self, conn)

    def new_vm_connection(self) -> Connection | None:
        """Where New VM creates: the selected connection, else the first connected one."""
        selected = self.selected_connection()
        if selected is not None and selected.is_connected:
            return selected
        return next((c for c in self.manager.connections if c.is_connected), None)

    def _update_new_vm(self, *_args: object) -> None:
        self.new_vm_act.setEnabled(self.new_vm_connection() is not None)

    def _new_vm(self) -> None:
        conn = self.new_vm_connection()
        if conn is not None:
            self.show_domain_creator(conn)

    def closeEvent(self, event: QCloseEvent) -> None:
        details = self.details
        if details.xml_tab.unsaved_names() or details.hardware_tab.unsaved_names():
            # ask first; close() again if discarded
            event.ignore()
            self._spawn(self._close_if_discarded())
            return
        if self.jobs is not None and self.jobs.running and not self._quit_with_jobs:
            event.ignore()
            self._spawn(self._close_if_jobs_may_stop(len(self.jobs.running)))
            return
        QApplication.instance().quit()  # type: ignore[union-attr]
        super().closeEvent(event)
