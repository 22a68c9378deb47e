"""What the main tree shows: the host tree or the groups, through the search filter or not.

Switching keeps the selection, the current row, collapsed rows and the
header; rows are found again by what they stand for
(``models.row_identity``), so a machine selected in the host tree is
selected in the groups, and back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QTimer,
)
from PySide6.QtWidgets import QTreeView, QWidget

from kvmdesk.models.columns import Column, Role
from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.row_identity import Identity, identity_of, index_of
from kvmdesk.models.tree import DomainTreeModel


class DomainFilter(QSortFilterProxyModel):
    """The search box: shows the rows the model marked as matching, in C++.

    The query (``core.search``) is matched in Python by the model, in
    slices, which marks each row (``Role.MATCH``); this proxy only reads
    the mark, so filtering 10,000 rows makes no call into Python.  Sorting
    is left to the source model, which keeps its rows in order itself.

    The tree shows this filter only while something is typed in the search
    box, and the model itself otherwise.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFilterRole(Role.MATCH)
        self.setFilterKeyColumn(Column.NAME)
        self.setFilterFixedString("1")
        self.setRecursiveFilteringEnabled(True)
        # Marks change silently; the model says once when (matchesChanged).
        self.setDynamicSortFilter(False)

    def marks_changed(self) -> None:
        if self.sourceModel() is not None:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)


class TreeSource(QObject):
    """The tree's model (``source``, shown through ``proxy`` while searching)."""

    def __init__(
        self,
        tree: QTreeView,
        model: DomainTreeModel,
        selection_changed: Callable[..., None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.tree = tree
        self.source: DomainTreeModel | GroupsModel = model
        self.proxy = DomainFilter(parent)  # given the source only while searching
        self._selection_changed = selection_changed
        self._collapsed: set[Identity | None] = set()  # collapsed rows, across switches

    def watch(self, model: QAbstractItemModel) -> None:
        """Open new connections and groups of ``model`` when it is shown;
        let the filter follow its marks."""
        model.rowsInserted.connect(
            lambda parent, first, last: self._rows_inserted(model, parent, first, last)
        )
        if isinstance(model, (DomainTreeModel, GroupsModel)):
            model.matchesChanged.connect(
                lambda: self.proxy.marks_changed() if self.proxy.sourceModel() is model else None
            )

    def to_source(self, index: QModelIndex) -> QModelIndex:
        if index.isValid() and index.model() is self.proxy:
            return self.proxy.mapToSource(index)
        return index

    def from_source(self, index: QModelIndex) -> QModelIndex:
        if self.tree.model() is self.proxy:
            return self.proxy.mapFromSource(index)
        return index

    def show(self, source: DomainTreeModel | GroupsModel, searching: bool) -> None:
        """Switch what the tree shows, keeping selection, current row, collapsed
        rows and the header (widths, hidden columns, sort); rows are found
        again by what they stand for (``models.groups.identity_of``)."""
        selected = [identity_of(i) for i in self.tree.selectionModel().selectedRows(0)]
        current = identity_of(self.tree.currentIndex())
        # Rows the search hides keep what was known of them before.
        self._note_expanded()
        header = self.tree.header().saveState()
        old_selection = self.tree.selectionModel()
        self.source = source
        if searching and self.proxy.sourceModel() is not source:
            self.proxy.setSourceModel(source)
        shown = self.proxy if searching else source
        if shown is not self.tree.model():
            self.tree.setModel(shown)
            old_selection.deleteLater()
            self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        if not searching and self.proxy.sourceModel() is not None:
            # Not shown: it must not follow every change of the model.
            self.proxy.setSourceModel(None)  # type: ignore[arg-type]
        self.tree.header().restoreState(header)
        self._expand_as_noted()
        selection = self.tree.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for identity in selected:
            mapped = self._shown_index(identity)
            if mapped.isValid():
                selection.select(mapped, flags)
        mapped_current = self._shown_index(current)
        if mapped_current.isValid():
            selection.setCurrentIndex(mapped_current, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.tree.scrollTo(mapped_current)
        self._selection_changed()

    def _shown_index(self, identity: Identity | None) -> QModelIndex:
        if identity is None:
            return QModelIndex()
        return self.from_source(index_of(self.source, identity))

    def _branches(self) -> list[QModelIndex]:
        """The shown rows that hold others: connections and groups (and hosts in groups)."""
        model = self.tree.model()
        found = []
        for row in range(model.rowCount()):
            top = model.index(row, 0)
            found.append(top)
            # A group holds hosts (by host group) or machines, never both.
            if model.index(0, 0, top).data(Role.KIND) == "connection":
                found += [model.index(r, 0, top) for r in range(model.rowCount(top))]
        return found

    def _note_expanded(self) -> None:
        for index in self._branches():
            if self.tree.isExpanded(index):
                self._collapsed.discard(identity_of(index))
            else:
                self._collapsed.add(identity_of(index))

    def _expand_as_noted(self) -> None:
        for index in self._branches():
            self.tree.setExpanded(index, identity_of(index) not in self._collapsed)

    def _rows_inserted(
        self, model: QAbstractItemModel, parent: QModelIndex, first: int, last: int
    ) -> None:
        # New connections and groups open, and hosts in a new host group.
        if model is not self.tree.model() or (
            parent.isValid() and parent.data(Role.KIND) != "group"
        ):
            return
        rows = [model.index(r, 0, parent) for r in range(first, last + 1)]
        rows = [i for i in rows if i.data(Role.KIND) != "domain"]
        for index in rows:
            self.tree.setExpanded(index, True)
        if model is self.proxy and rows:
            # A connection the search shows again may get its matching
            # rows only after it is inserted (the filter adds parents
            # first): the view ignores expanding it before; again later.
            kept = [QPersistentModelIndex(i) for i in rows]
            QTimer.singleShot(0, lambda: self._expand_again(model, kept))

    def _expand_again(self, model: QAbstractItemModel, rows: list[QPersistentModelIndex]) -> None:
        if model is not self.tree.model():
            return
        for row in rows:
            if row.isValid():
                self.tree.setExpanded(model.index(row.row(), 0, row.parent()), True)
