"""The search hides rows in the tree itself: no filter model in between.

The model marks each machine's row (``Role.MATCH``) and says which marks
changed (``matchesChanged``); only those rows are hidden or shown again
(``QTreeView.setRowHidden``), and the rows above them (connections,
groups, hosts in a group) are hidden while none of the rows under them
is shown, which Qt finds in C++ (``QAbstractItemModel.match``).

While a pass hides or shows many rows, a slice per loop turn, the tree
does not paint until the pass is done (or a quarter of a second went by):
each slice relaid the rows out and painted a picture that lasted a turn.

A filter model (``QSortFilterProxyModel``) did this before: the first key
swapped 10,000 rows from the model to the filter in one step, every key
filtered all rows again in one step, and while attached every row that
came cost the filter a pass over its parent's rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QTreeView

from kvmdesk.models.columns import Role
from kvmdesk.models.groups import GroupsModel
from kvmdesk.models.tree import DomainTreeModel
from kvmdesk.models.tree_rows import match_text

MATCHES = match_text(True)
ROWS_PER_STEP = 256  # rows looked at between two yields of a whole pass
HOLD_PAINT_FROM = 64  # rows said at once: a pass that hides many (more to come)
HOLD_PAINT_MS = 250  # the longest the tree goes unpainted while a pass hides rows
WRAPPED = Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchWrap


def branches(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[QModelIndex]:
    """The rows under ``parent`` (and under them) that hold others:
    connections, groups, hosts in a group.  A row holds machines or rows
    that hold others, never both: the machines are not looked at."""
    parent = QModelIndex() if parent is None else parent
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        if index.data(Role.KIND) == "domain":
            break
        found += [index, *branches(model, index)]
    return found


class RowHider(QObject):
    """Hides the rows of the shown model that the search does not show."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self.tree = tree
        self.searching = False
        self._found: dict[tuple[int, int], int] = {}  # where a match was last found, by branch
        self._held = False  # the tree paints again once the marks being said are said

    def watch(self, model: DomainTreeModel | GroupsModel) -> None:
        model.matchesChanged.connect(lambda items: self.marks_changed(model, items))
        model.rowsInserted.connect(
            lambda p, first, last: self._rows_inserted(model, p, first, last)
        )
        model.rowsRemoved.connect(lambda parent, _f, _l: self._rows_removed(model, parent))

    def set_searching(self, searching: bool) -> None:
        """Rows hide from now on as their marks say (or show again: all the
        machines' marks change back as the search is cleared)."""
        if searching != self.searching:
            self.searching = searching
            self._update_branches(branches(self.tree.model()))

    def is_hidden(self, index: QModelIndex) -> bool:
        """The row or a row above it is hidden."""
        while index.isValid():
            if self.tree.isRowHidden(index.row(), index.parent()):
                return True
            index = index.parent()
        return False

    def marks_changed(
        self, model: DomainTreeModel | GroupsModel, items: list[QStandardItem]
    ) -> None:
        if model is not self.tree.model():
            return
        if len(items) >= HOLD_PAINT_FROM and not self._held:
            self._hold_paint(model)
        # By parent (kept alive here, so that ids stay unique): its index,
        # and whether a row under it was shown.
        parents: dict[int, tuple[QStandardItem | None, QModelIndex, list[bool]]] = {}
        hiding = False
        set_hidden, searching = self.tree.setRowHidden, self.searching
        last: QStandardItem | None = None
        entry: tuple[QStandardItem | None, QModelIndex, list[bool]] | None = None
        for item in items:
            parent = item.parent()
            if entry is None or parent is not last:  # the items come by parent
                last, entry = parent, parents.get(id(parent))
                if entry is None:
                    index = parent.index() if parent is not None else QModelIndex()
                    entry = parents[id(parent)] = (parent, index, [False])
            hide = searching and item.data(Role.MATCH) != MATCHES
            if hide:
                hiding = True
            else:
                entry[2][0] = True
            set_hidden(item.row(), entry[1], hide)
        for _parent, index, shown in parents.values():
            self._follow(index, shown[0])
        if hiding:
            self._deselect_hidden()

    def _hold_paint(self, model: DomainTreeModel | GroupsModel) -> None:
        """Many rows hide or show, a slice per turn: the tree paints once
        they all have (the job queued here runs after those queued before
        it, the pass saying these marks among them), not after each slice
        (2 ms a paint at 10,000 rows, for a picture that lasts one turn);
        in a long pass, every ``HOLD_PAINT_MS`` at least."""
        self._held = True
        self.tree.viewport().setUpdatesEnabled(False)

        def after_the_pass() -> Iterator[int]:
            self._release_paint()
            yield 1

        model.slicer.add(after_the_pass())
        QTimer.singleShot(HOLD_PAINT_MS, self, self._release_paint)

    def _release_paint(self) -> None:
        if self._held:
            self._held = False
            self.tree.viewport().setUpdatesEnabled(True)

    def _follow(self, index: QModelIndex, shown: bool) -> None:
        """A row that holds others, and those above it, after rows under it
        were hidden, or some ``shown``: without a look at all of its rows
        where it can (once hidden, hiding more leaves it hidden)."""
        while index.isValid():
            row, parent = index.row(), index.parent()
            hidden = self.tree.isRowHidden(row, parent)
            if shown or not self.searching:
                if not hidden:
                    return  # and so are the rows above
                self.tree.setRowHidden(row, parent, False)
            else:
                if hidden or self._holds_match(index):
                    return
                self.tree.setRowHidden(row, parent, True)
            index = parent

    def _holds_match(self, index: QModelIndex) -> bool:
        """A machine under ``index`` matches; the look starts where the last
        one was found (a search with few matches finds it at once)."""
        model = index.model()
        key = (index.row(), index.internalId())
        start = min(self._found.get(key, 0), max(model.rowCount(index) - 1, 0))
        found = model.match(model.index(start, 0, index), Role.MATCH, MATCHES, 1, WRAPPED)
        if found:
            top = found[0]
            while top.isValid() and top.parent() != index:  # a machine under a host
                top = top.parent()
            self._found[key] = top.row()
        return bool(found)

    def show_model(self, model: DomainTreeModel | GroupsModel) -> None:
        """A model was just set on the tree (nothing of it hidden): hide what
        the search does not show, in slices."""
        self._found.clear()
        self._release_paint()  # the model before may never finish its pass
        if self.searching:
            model.slicer.add(self._hide_all(model))

    def _hide_all(self, model: QAbstractItemModel) -> Iterator[int]:
        for kept in [QPersistentModelIndex(i) for i in branches(model)]:
            parent = model.index(kept.row(), 0, kept.parent())
            if not parent.isValid():
                continue
            for start in range(0, model.rowCount(parent), ROWS_PER_STEP):
                if model is not self.tree.model() or not self.searching:
                    return
                for row in range(start, min(start + ROWS_PER_STEP, model.rowCount(parent))):
                    index = model.index(row, 0, parent)
                    if index.data(Role.KIND) == "domain" and index.data(Role.MATCH) != MATCHES:
                        self.tree.setRowHidden(row, parent, True)
                yield ROWS_PER_STEP
                parent = model.index(kept.row(), 0, kept.parent())  # rows came or went?
                if not parent.isValid():
                    break
        self._update_branches(branches(self.tree.model()))
        self._deselect_hidden()

    def _update_branches(self, rows: list[QModelIndex]) -> None:
        """Hide each row that holds others while no machine under it shows;
        the rows above follow."""
        seen: set[tuple[int, int]] = set()
        for index in rows:
            while index.isValid() and (index.row(), index.internalId()) not in seen:
                seen.add((index.row(), index.internalId()))
                hide = self.searching and not self._holds_match(index)
                self.tree.setRowHidden(index.row(), index.parent(), hide)
                index = index.parent()

    def _deselect_hidden(self) -> None:
        """A row the search hides is no longer selected (as Qt does for
        rows that go away)."""
        selection = self.tree.selectionModel()
        hidden = [i for i in selection.selectedRows(0) if self.is_hidden(i)]
        flags = QItemSelectionModel.SelectionFlag.Deselect | QItemSelectionModel.SelectionFlag.Rows
        for index in hidden:
            selection.select(index, flags)

    def _rows_inserted(
        self, model: QAbstractItemModel, parent: QModelIndex, first: int, last: int
    ) -> None:
        if model is not self.tree.model() or not self.searching:
            return
        # Machines come marked; rows that hold others come empty, or with
        # their rows (a group built at once).
        held: list[QModelIndex] = []
        shown = False
        for row in range(first, last + 1):
            index = model.index(row, 0, parent)
            if index.data(Role.KIND) != "domain":
                held += [index, *branches(model, index)]
            elif index.data(Role.MATCH) != MATCHES:
                self.tree.setRowHidden(row, parent, True)
            else:
                shown = True
        self._update_branches(held)
        self._follow(parent, shown)

    def _rows_removed(self, model: QAbstractItemModel, parent: QModelIndex) -> None:
        if model is self.tree.model() and self.searching:
            self._follow(parent, False)
