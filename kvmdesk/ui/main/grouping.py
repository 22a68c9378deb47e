"""Grouping the tree, saved views and host groups: the window's controls for them.

View → Group By and the combo box beside the search choose the grouping;
the window then shows the groups model (``models.groups``) instead of the
host tree, and back.  View → Save View… stores the search, grouping and
columns under a name; the Views section above the tree applies one.  A
connection's context menu moves it to a host group (dragging a host onto
a group does the same when grouped by host group).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core.connection import Connection
from kvmdesk.core.tree_layout import BadName, GroupBy, SavedView, TreeLayout, check_name
from kvmdesk.core.tree_layout import group_by_label as label_of
from kvmdesk.models.columns import NCOLS, Role
from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.row_identity import identity_of
from kvmdesk.ui.common.errors import report_text
from kvmdesk.ui.main.command_log_dock import view_menu
from kvmdesk.ui.main.tree_columns import set_column_shown
from kvmdesk.ui.main.view_dialog import ViewDialog
from kvmdesk.ui.main.views_section import ViewsSection
from kvmdesk.virt.shown import shown

if TYPE_CHECKING:
    from kvmdesk.ui.main.mainwindow import MainWindow
    from kvmdesk.ui.main.row_hider import RowHider


class Grouping(QObject):
    def __init__(self, window: MainWindow, layout: TreeLayout) -> None:
        super().__init__(window)
        self._window = window
        self.layout = layout
        self.groups = GroupsModel(window.model, layout, window)
        window.watch_model(self.groups)
        # The host tree stays shown while a grouping is built; then the groups.
        self.groups.built.connect(self._show_groups)
        layout.hostGroupsChanged.connect(self._host_groups_changed)
        header = window.tree.header()
        header.sortIndicatorChanged.connect(self.groups.sort)
        self.groups.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

        self.combo = QComboBox(window)
        self.combo.setAccessibleName(self.tr("Group by"))
        self.combo.setToolTip(self.tr("Group the list by host, host group, tag, state or OS"))
        self.menu = QMenu(self.tr("&Group By"), window)
        self._actions: dict[GroupBy, QAction] = {}
        exclusive = QActionGroup(self)
        for group_by in GroupBy:
            self.combo.addItem(label_of(group_by), group_by.value)
            action = self.menu.addAction(label_of(group_by))
            action.setCheckable(True)
            exclusive.addAction(action)
            action.triggered.connect(lambda _on=False, g=group_by: self.set_group_by(g))
            self._actions[group_by] = action
        self.combo.activated.connect(lambda i: self.set_group_by(list(GroupBy)[i]))
        window.toolbar.insertWidget(window.search_action, self.combo)

        self.save_view_act = QAction(self.tr("&Save View…"), window)
        self.save_view_act.setStatusTip(
            self.tr("Keep the search, grouping and columns under a name")
        )
        self.save_view_act.triggered.connect(self.save_view)
        menu = view_menu(window)
        first = menu.actions()[0] if menu.actions() else None
        menu.insertMenu(first, self.menu)  # type: ignore[arg-type]
        menu.insertAction(first, self.save_view_act)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

        self.views = ViewsSection(layout, window)
        self.views.picked.connect(self.apply_view)
        pane = window.tree_pane.layout()
        assert isinstance(pane, QVBoxLayout)
        pane.insertWidget(0, self.views)
        self.set_group_by(layout.group_by)

    # -- grouping -------------------------------------------------------------

    @property
    def group_by(self) -> GroupBy:
        return self.groups.group_by

    def set_group_by(self, group_by: GroupBy, again: bool = False) -> None:
        """Show the tree grouped by ``group_by`` (``again``: rebuilt even if it is)."""
        self.combo.setCurrentIndex(list(GroupBy).index(group_by))
        self._actions[group_by].setChecked(True)
        if group_by is self.groups.group_by and not again:
            return
        self.layout.group_by = group_by
        # The host tree first, while the groups are rebuilt: the selection
        # is found again there, then in the new groups once they are built.
        self._window.set_source(self._window.model)
        self.groups.set_group_by(group_by)
        tree = self._window.tree
        dragging = group_by is GroupBy.HOST_GROUP
        tree.setDragEnabled(dragging)
        tree.setAcceptDrops(dragging)
        tree.setDropIndicatorShown(dragging)
        tree.setDragDropMode(
            QAbstractItemView.DragDropMode.DragDrop
            if dragging
            else QAbstractItemView.DragDropMode.NoDragDrop
        )

    def _show_groups(self) -> None:
        if self.groups.group_by is not GroupBy.HOST:
            self._window.set_source(self.groups)

    def _host_groups_changed(self) -> None:
        if self.group_by is GroupBy.HOST_GROUP:
            self.set_group_by(GroupBy.HOST_GROUP, again=True)

    # -- saved views ----------------------------------------------------------

    def current_view(self, name: str = "") -> SavedView:
        tree = self._window.tree
        hidden = tuple(c for c in range(1, NCOLS) if tree.isColumnHidden(c))
        return SavedView(name, self._window.search.text(), self.group_by, hidden)

    def save_view(self) -> ViewDialog:
        """Open Save View (not modal to the loop: ``open``); returned for tests."""
        model = self._window.model
        columns = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(NCOLS)]
        dialog = ViewDialog(self.layout, self.current_view(), columns, self._window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def apply_view(self, view: SavedView) -> None:
        """Its grouping, then its search, then its columns."""
        self.set_group_by(view.group_by)
        self._window.search.setText(view.query)
        tree = self._window.tree
        for column in range(1, NCOLS):
            shown_now = not tree.isColumnHidden(column)
            if shown_now != (column not in view.hidden_columns):
                set_column_shown(
                    tree, self._window.model, column, column not in view.hidden_columns
                )
        self._window.statusBar().showMessage(
            self.tr("View “{0}” applied").format(shown(view.name)), 5000
        )

    # -- host groups ----------------------------------------------------------

    def selected_connections(self) -> list[Connection]:
        found: list[Connection] = []
        for index in self._window.tree.selectionModel().selectedRows(0):
            identity = identity_of(index)
            if identity is not None and identity[0] == "connection" and identity[1] not in found:
                found.append(identity[1])
        return found

    def move_menu(self, conns: list[Connection], parent: QWidget) -> QMenu:
        """Move to Group: the groups there are, a new one, or none."""
        menu = QMenu(self.tr("&Move to Group"), parent)
        current = {self.layout.host_group(c.uri) for c in conns}
        for name in self.layout.group_names():
            action = menu.addAction(shown(name))
            action.setCheckable(True)
            action.setChecked(current == {name})
            action.triggered.connect(lambda _on=False, n=name: self.move(conns, n))
        if menu.actions():
            menu.addSeparator()
        menu.addAction(self.tr("&New Group…")).triggered.connect(lambda: self.new_group(conns))
        none = menu.addAction(self.tr("&No Group"))
        none.setEnabled(current != {""})
        none.triggered.connect(lambda: self.move(conns, ""))
        menu.setEnabled(bool(conns))
        return menu

    def move(self, conns: list[Connection], group: str) -> None:
        self.layout.move_hosts([c.uri for c in conns], group)

    def new_group(self, conns: list[Connection]) -> None:
        title = self.tr("New Group")
        text, ok = QInputDialog.getText(
            self._window, title, self.tr("Name of the host group:"), QLineEdit.EchoMode.Normal
        )
        if not ok:
            return
        try:
            name = check_name(text)
        except BadName as exc:
            report_text(self._window, title, self.tr("This name cannot be used."), str(exc))
            return
        self.move(conns, name)


def shown_members(
    model: QAbstractItemModel, index: QModelIndex, hider: RowHider
) -> list[QModelIndex]:
    """``index``'s row itself, or for a group every machine's row under it
    that the search does not hide."""
    first = index.siblingAtColumn(0)
    if first.data(Role.KIND) != "group":
        return [first]
    found = []
    branches = [first]
    while branches:
        parent = branches.pop()
        for row in range(model.rowCount(parent)):
            child = model.index(row, 0, parent)
            if hider.is_hidden(child):
                continue
            if child.data(Role.KIND) == "domain":
                found.append(child)
            else:
                branches.append(child)
    return found
