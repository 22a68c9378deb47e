"""The main window's menus, toolbar and context menu, and the actions only they hold.

``WindowMenus`` is the base of ``MainWindow``, which owns the state named
here; the actions on domains and connections themselves are built in
``actions`` and ``connection_actions``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QWidget,
)

from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.search import Query
from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.icons import icon
from kvmdesk.models.tree import DomainTreeModel, Role
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.main.actions import DomainActions
from kvmdesk.ui.main.connection_actions import ConnectionActions
from kvmdesk.ui.main.define_dialog import DefineActions
from kvmdesk.ui.main.grouping import Grouping
from kvmdesk.ui.main.keyboard import ListKeys
from kvmdesk.ui.main.narrow import NameColumnFit, ToolbarFit
from kvmdesk.ui.main.saved_file_dialogs import SavedFileActions
from kvmdesk.ui.main.search_box import SearchBox
from kvmdesk.version import kvmdesk_version


class WindowMenus(QMainWindow):
    """Builds the File, Edit, Virtual Machine and Help menus, the toolbar and
    the tree's context menu, from the actions of the window."""

    manager: ConnectionManager
    acts: DomainActions
    tree: QTreeView
    details: DetailsPane
    grouping: Grouping | None

    @property
    def source(self) -> DomainTreeModel | GroupsModel:
        raise NotImplementedError

    def selected_connection(self) -> Connection | None:
        raise NotImplementedError

    def select_domain_when_listed(self, conn: Connection, uuid: str) -> None:
        raise NotImplementedError

    def _selection_changed(self, *_args: object) -> None:
        raise NotImplementedError

    def _search_changed(self, query: Query) -> None:
        raise NotImplementedError

    def _new_vm(self) -> None:
        raise NotImplementedError

    def _build_connection_actions(self) -> None:
        self.conns = ConnectionActions(
            self,
            self.manager,
            self.selected_connection,
            self._selection_changed,
            self.details.clear,
        )
        # The window's own names for them, used by menus, toolbar and tests.
        self.add_conn = self.conns.add_conn
        self.open_demo = self.conns.open_demo
        self.connect_act = self.conns.connect_act
        self.disconnect_act = self.conns.disconnect_act
        self.host_details_act = self.conns.host_details_act
        self.remove_conn = self.conns.remove_conn
        self.new_vm_act = QAction(icon("new-vm"), self.tr("&New Virtual Machine…"), self)
        self.new_vm_act.setShortcut(QKeySequence("Ctrl+N"))
        self.new_vm_act.setIconText(self.tr("New VM"))
        self.new_vm_act.setStatusTip(self.tr("Create a virtual machine on the selected connection"))
        self.new_vm_act.triggered.connect(self._new_vm)
        self.define_acts = DefineActions(
            self, self.selected_connection, self.select_domain_when_listed
        )
        self.saved_file_acts = SavedFileActions(
            self, self.selected_connection, self.select_domain_when_listed
        )
        self.quit_act = QAction(self.tr("&Quit"), self)
        self.quit_act.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_act.triggered.connect(self.close)
        self.find_act = QAction(self.tr("&Find…"), self)
        self.find_act.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.add_conn)
        file_menu.addAction(self.open_demo)
        file_menu.addSeparator()
        file_menu.addAction(self.connect_act)
        file_menu.addAction(self.disconnect_act)
        file_menu.addAction(self.conns.edit_conn)
        file_menu.addAction(self.remove_conn)
        file_menu.addAction(self.host_details_act)
        file_menu.addSeparator()
        file_menu.addAction(self.new_vm_act)
        file_menu.addAction(self.define_acts.define_act)
        file_menu.addAction(self.define_acts.create_act)
        file_menu.addAction(self.saved_file_acts.restore_act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_act)
        edit_menu = self.edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.find_act)
        edit_menu.addAction(self.host_details_act)  # Edit → Connection Details
        self.vm_menu = bar.addMenu(self.tr("&Virtual Machine"))
        self._fill_vm_menu(self.vm_menu)
        self.vm_menu.addSeparator()
        self.vm_menu.addAction(self.acts.send_key)  # its menu: SendKeysMenu
        help_menu = bar.addMenu(self.tr("&Help"))
        about = help_menu.addAction(self.tr("&About kvmdesk"))
        about.triggered.connect(self._about)

    def _fill_vm_menu(self, menu: QMenu) -> None:
        a = self.acts
        for action in (a.run, a.pause, a.resume):
            menu.addAction(action)
        menu.addSeparator()
        for action in (a.shutdown, a.reboot, a.force_off, a.save, a.save_to_file):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(a.autostart)
        menu.addAction(a.clone)
        menu.addAction(a.migrate)
        menu.addAction(a.edit_tags)
        menu.addAction(a.delete)
        menu.addSeparator()
        menu.addAction(a.details)
        menu.addAction(a.snapshots)
        menu.addAction(a.take_snapshot)

    def _build_toolbar(self) -> None:
        tb = self.addToolBar(self.tr("Main"))
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.addAction(self.add_conn)
        tb.addAction(self.new_vm_act)
        tb.addSeparator()
        tb.addAction(self.acts.run)
        tb.addAction(self.acts.pause)
        tb.addAction(self.acts.resume)
        shut = QToolButton(self)
        shut.setDefaultAction(self.acts.shutdown)
        shut.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        menu = QMenu(shut)
        for action in (self.acts.reboot, self.acts.shutdown, self.acts.force_off, self.acts.save):
            menu.addAction(action)
        shut.setMenu(menu)
        shut.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        tb.addWidget(shut)
        tb.addAction(self.acts.delete)
        tb.addSeparator()
        tb.addAction(self.acts.details)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.search = SearchBox(self)
        self.search.setAccessibleName(self.tr("Filter by name"))
        self.search.queryChanged.connect(self._search_changed)
        self.search.problem.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.find_act.triggered.connect(self.search.setFocus)
        self.toolbar = tb
        self.search_action = tb.addWidget(self.search)
        self.keys = ListKeys(self.tree, self.search, self._context_menu)
        self.toolbar_fit = ToolbarFit(tb)
        self.name_fit = NameColumnFit(self.tree)

    def _context_menu(self, pos: Any) -> None:
        index = self.tree.indexAt(pos)
        menu = QMenu(self)
        if self.source.record_at(index) is not None or index.data(Role.KIND) == "group":
            self._fill_vm_menu(menu)  # a group: every machine it shows
        elif self.source.connection_at(index) is not None:
            for action in self.conns.for_connection_row():
                menu.addAction(action)
            if self.grouping is not None:
                conns = self.grouping.selected_connections()
                menu.addMenu(self.grouping.move_menu(conns, menu))
        else:
            menu.addAction(self.add_conn)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About kvmdesk"),
            self.tr(
                "kvmdesk {0}\n\nA desktop manager for KVM/QEMU virtual machines through libvirt."
                "\n\nLicensed under the GNU General Public License, version 2 or later."
            ).format(kvmdesk_version()),
        )
