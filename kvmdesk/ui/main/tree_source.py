"""What the main tree shows: the host tree or the groups, rows the search
hides hidden (``row_hider``).

Switching keeps the selection, the current row, collapsed rows and the
header; rows are found again by what they stand for
(``models.row_identity``), so a machine selected in the host tree is
selected in the groups, and back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex, QObject
from PySide6.QtWidgets import QTreeView, QWidget

from kvmdesk.models.columns import Role
from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.row_identity import Identity, identity_of, index_of
from kvmdesk.models.tree import DomainTreeModel
from kvmdesk.ui.main.below_view import BelowView
from kvmdesk.ui.main.no_match import NoMatchNotice
from kvmdesk.ui.main.row_hider import RowHider, branches


class TreeSource(QObject):
    """The tree's model (``source``), and the rows the search hides (``hider``)."""

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
        self.hider = RowHider(tree)
        self.no_match = NoMatchNotice(tree, self.hider)
        self.below = BelowView(tree)
        self.below.watch(model)
        self._selection_changed = selection_changed
        self._collapsed: set[Identity | None] = set()  # collapsed rows, across switches

    def watch(self, model: DomainTreeModel | GroupsModel) -> None:
        """Open new connections and groups of ``model`` when it is shown;
        hide the rows its marks say the search does not show."""
        model.rowsInserted.connect(
            lambda parent, first, last: self._rows_inserted(model, parent, first, last)
        )
        self.hider.watch(model)
        self.no_match.watch(model)

    def from_source(self, index: QModelIndex) -> QModelIndex:
        """``index`` as the tree shows it: invalid while the search hides it."""
        return QModelIndex() if self.hider.is_hidden(index) else index

    def search(self, searching: bool) -> None:
        """Hide rows as their search marks say, or none."""
        self.hider.set_searching(searching)
        self.no_match.check_soon()

    def show(self, source: DomainTreeModel | GroupsModel) -> None:
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
        if source is not self.tree.model():
            self.tree.setModel(source)
            old_selection.deleteLater()
            self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        self.tree.header().restoreState(header)
        self._expand_as_noted()
        self.hider.show_model(source)
        self.no_match.check_soon()
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
        # Nothing selected before or after: the window shows that already (the
        # details pane cleared again, its XML and console pages among them, cost
        # 2-3 ms of the turn that shows a grouping of 10,000 rows, 0.5 without).
        if selected or selection.hasSelection():
            self._selection_changed()

    def _shown_index(self, identity: Identity | None) -> QModelIndex:
        if identity is None:
            return QModelIndex()
        return index_of(self.source, identity)

    def _note_expanded(self) -> None:
        for index in branches(self.tree.model()):
            if self.tree.isExpanded(index):
                self._collapsed.discard(identity_of(index))
            else:
                self._collapsed.add(identity_of(index))

    def _expand_as_noted(self) -> None:
        for index in branches(self.tree.model()):
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
