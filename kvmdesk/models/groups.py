"""The tree grouped by host group, tag, state or OS: a second model that follows the host tree.

Its rows are clones of the host tree's rows (``DomainTreeModel``): the same
items with the same roles and data, so the view, the search and the
window read them as they read the host tree.  Under each group row come
the clones of the domains that belong to it; by host group, each group
holds clones of its connections' rows with their domains under them.  A
domain with several tags is cloned under each tag.

It follows the host tree's signals (``models.group_follow``), never libvirt: a changed row is copied
again (or moves to another group when its state, tags or OS changed), a
removed one goes, a listing in slices comes in slices.  Large jobs run in
the host tree's ``Slicer``, so both models share one budget per loop turn.

Python keeps references to the clones it made (to copy data into them).
Qt deletes an item when its row is removed; a reference kept past that
would point at freed memory, so every reference to a row (and to the rows
under it) is dropped *before* the row is removed, and nothing is read from
an item after that.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel

from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.core.tree_layout import GroupBy, TreeLayout
from kvmdesk.models.columns import NCOLS, Column, Role
from kvmdesk.models.group_follow import HostTreeFollower
from kvmdesk.models.group_moves import GroupMoves
from kvmdesk.models.group_rows import (
    HOSTS_MIME,
    NONE,
    discard,
    group_keys,
    group_of,
    group_row,
    hosts_data,
    hosts_of,
    release,
)
from kvmdesk.models.row_identity import Index, first_column
from kvmdesk.models.slicer import TURN, SharedSlicer
from kvmdesk.models.tree import FREEZE_EVERY, SORT_IN_TURNS, DomainTreeModel
from kvmdesk.models.tree_rows import DISPLAY, Quiet
from kvmdesk.virt.records import DomainRecord

# Roles a clone has that its source row has not; copying never clears them.
OWN_ROLES = frozenset({int(Role.CONNECTION), int(Role.GROUP), int(Role.ORDER)})


class _Entry:
    """A domain's clones: one row per group it is in."""

    __slots__ = ("keys", "rows")

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self.rows: list[list[QStandardItem]] = []


class GroupsModel(QStandardItemModel):
    matchesChanged = Signal(object)  # as DomainTreeModel's: these rows' copied marks changed
    built = Signal()  # a new grouping's rows are all in the model

    def __init__(
        self, source: DomainTreeModel, layout: TreeLayout, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.facts = source.facts
        self._layout = layout
        self.group_by = GroupBy.HOST  # HOST: inactive (the host tree is shown itself)
        self.generation = 0  # jobs of an earlier grouping stop
        self.group_items: dict[str, QStandardItem] = {}  # key -> column 0 of the group's row
        self._counts: dict[str, int] = {}
        self.hosts: dict[Connection, tuple[str, list[QStandardItem]]] = {}  # by host group
        self.clones: dict[tuple[Connection, str], _Entry] = {}
        self.cloned: dict[Connection, set[str]] = {}  # uuids cloned, per connection
        self._count_cells: dict[str, QStandardItem] = {}  # key -> the group's count cell
        # Counts whose text waits (rows built out of sight, or moved in a batch):
        # written once per group, not once per row (a tr() and a write each).
        self._stale_counts: set[str] = set()
        self._holding_counts = False
        # While a grouping is built its group rows stay out of the model (no
        # signal, no layout per row); once complete they go in, a group at a
        # time (``_attach``): the list holds those not in yet.
        self._detached: list[list[QStandardItem]] | None = None
        self._unsorted: set[str] = set()  # keys of built groups whose rows came unsorted
        # While built: the sort key of the last row appended under each parent
        # (rows cloned in the host tree's order mostly come in order already).
        self._last_keys: dict[tuple[str, Connection | None], str] = {}
        self._host_groups: dict[str, str] = {}
        self._sort = (int(Column.NAME), Qt.SortOrder.AscendingOrder)
        self._resort_queued = False
        self._built = 0  # clones made since the last gc.freeze
        # The host tree's: one budget per loop turn for both models.
        self.slicer = SharedSlicer(self, source.slicer)
        self.setSortRole(Role.ORDER)
        self.setColumnCount(NCOLS)
        for column in range(NCOLS):
            for role in (DISPLAY, Qt.ItemDataRole.TextAlignmentRole):
                value = source.headerData(column, Qt.Orientation.Horizontal, role)
                if value is not None:
                    self.setHeaderData(column, Qt.Orientation.Horizontal, value, role)
        self.follower = HostTreeFollower(self)
        self.moves = GroupMoves(self)  # rows whose groups changed, moved in batches

    def guarded(self, slot: Any, only_grouped: bool = True) -> Any:
        """``slot`` while grouping (``only_grouped``) and until Qt deleted this
        model (its window closes before the sources do)."""

        def call(*args: Any) -> None:
            if shiboken6.isValid(self) and not (only_grouped and self.group_by is GroupBy.HOST):
                slot(*args)

        return call

    @property
    def busy(self) -> bool:
        """Rows are still being built, moved or sorted."""
        return (
            self.slicer.busy
            or self._resort_queued
            or self.follower.resync_queued
            or self._detached is not None
            or bool(self.moves.pending)
        )

    # -- the grouping -------------------------------------------------------

    def set_group_by(self, group_by: GroupBy) -> None:
        """Group by ``group_by`` (rows built in slices); HOST empties the model."""
        self.group_by = group_by
        if group_by in (GroupBy.TAG, GroupBy.OS):
            self.facts.set_enabled(True)
        self.rebuild()

    def rebuild(self) -> None:
        self.generation += 1
        self._release_all()
        if self.group_by is GroupBy.HOST:
            return
        self._host_groups = self._layout.host_groups()
        self._detached = []
        self.slicer.add(self._build(self.generation))

    def _release_all(self) -> None:
        """Forget every item, then let Qt delete them (in slices: deleting
        60,000 items at once stopped the window for 180 ms).  Rows in the
        model leave it in slices too, after the tree stopped showing it:
        taking a grouping of 10,000 rows out in one step (each item told it
        left the model) cost 14 ms."""
        self.group_items.clear()
        self._counts.clear()
        self.hosts.clear()
        self.clones.clear()
        self.cloned.clear()
        self._count_cells.clear()
        self._stale_counts.clear()
        self.moves.pending.clear()
        self._unsorted.clear()
        self._last_keys.clear()
        rows, self._detached = self._detached or [], None
        rows += [[self.item(r, c) for c in range(NCOLS)] for r in range(self.rowCount())]
        if rows:
            self.slicer.add(discard(rows, self), now=False)

    def _build(self, generation: int) -> Iterator[int]:
        source = self.source
        for row in range(source.rowCount()):
            top = source.index(row, 0)
            conn = top.data(Role.CONNECTION)
            if self.group_by is GroupBy.HOST_GROUP:
                self.host_row(conn)
            for r in range(source.rowCount(top)):
                if generation != self.generation or not top.isValid():
                    return
                uuid = source.index(r, 0, top).data(Role.UUID)
                if (conn, uuid) not in self.clones:
                    self.add_clone(conn, uuid)
                yield 1
        yield from self._attach(generation)
        self.follower.resync_soon()  # rows that came or moved between two slices

    def _attach(self, generation: int) -> Iterator[int]:
        """The built groups, sorted, into the model: one insertion per group.

        Qt sorts a group of 5,000 rows in 5-10 ms, and puts it in the model in
        5-7 ms (each item is told it is in the model): each in a turn of its
        own, in its place among the groups in already; the window shows them
        in another turn, once all are in."""
        large = len(self.clones) > SORT_IN_TURNS  # small groupings show in the caller's turn
        while self._unsorted:
            group = self.group_items.get(self._unsorted.pop())
            if group is None:
                continue
            if large:
                yield TURN
                if generation != self.generation:
                    return
            group.sortChildren(*self._sort)
            yield group.rowCount()
        while self._detached:  # groups that come meanwhile join the list
            if large:
                yield TURN
                if generation != self.generation:
                    return
                if not self._detached:
                    break
            items = self._detached.pop()
            order = str(items[0].data(Role.ORDER))
            self.insertRow(self._position(self.invisibleRootItem(), order, 0), items)
            yield items[0].rowCount() or 1
        if large:
            yield TURN
            if generation != self.generation:
                return
        for key in self._unsorted:  # rows that came meanwhile (few)
            if (group := self.group_items.get(key)) is not None:
                group.sortChildren(*self._sort)
        self._unsorted.clear()
        self._last_keys.clear()
        self._detached = None
        self.show_counts()
        self.built.emit()

    def _keys(self, conn: Connection, uuid: str, state: Any) -> tuple[str, ...]:
        return group_keys(self.group_by, self.facts, self._host_groups, conn, uuid, state)

    def _group(self, key: str) -> QStandardItem:
        item = self.group_items.get(key)
        if item is not None:
            return item
        items = group_row(self.group_by, key)
        name = items[0]
        order = str(name.data(Role.ORDER))
        self.group_items[key] = name
        self._counts[key] = 0
        self._count_cells[key] = items[Column.STATE]
        if self._detached is not None:
            self._detached.append(items)
        else:
            self.insertRow(self._position(self.invisibleRootItem(), order, 0), items)
        return name

    def recount(self, key: str, delta: int) -> None:
        self._counts[key] = self._counts.get(key, 0) + delta
        self._stale_counts.add(key)
        if not self._holding_counts and self._detached is None:
            self.show_counts()

    @contextmanager
    def counts_held(self) -> Iterator[None]:
        """Counts change inside; each changed group's text is written once, at the end."""
        held, self._holding_counts = self._holding_counts, True
        try:
            yield
        finally:
            self._holding_counts = held
            if not held:
                self.show_counts()

    def show_counts(self) -> None:
        """Write the text of the counts that changed."""
        keys, self._stale_counts = self._stale_counts, set()
        for key in keys:
            cell = self._count_cells.get(key)
            if cell is not None:
                cell.setData(tr("%n virtual machine(s)", None, self._counts.get(key, 0)), DISPLAY)

    def drop_group_if_empty(self, key: str) -> None:
        if self._counts.get(key, 0) <= 0 and not any(k == key for k, _ in self.hosts.values()):
            self._remove_group(key)

    def _position(self, parent: QStandardItem, key: str, column: int) -> int:
        """Where a row whose ``column`` sorts by ``key`` goes among ``parent``'s (after its
        equals): rows come in their place, and nothing is sorted again."""
        descending = self._sort[1] == Qt.SortOrder.DescendingOrder
        lo, hi = 0, parent.rowCount()
        while lo < hi:
            mid = (lo + hi) // 2
            cell = parent.child(mid, column)  # a usage cell may not exist
            other = "" if cell is None else str(cell.data(Role.ORDER) or "")
            if (key > other) if descending else (key < other):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def host_row(self, conn: Connection) -> QStandardItem:
        """By host group: the clone of ``conn``'s row, under its group."""
        key = self._host_groups.get(conn.uri, NONE)
        known = self.hosts.get(conn)
        if known is not None:
            return known[1][0]
        source_index = self.source.index_of_connection(conn)
        items = [self.source_item(source_index, c).clone() for c in range(NCOLS)]
        label = str(source_index.data(DISPLAY) or "")
        items[0].setColumnCount(NCOLS)  # as a group's (group_rows.group_row)
        for cell in items:
            cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsDragEnabled)
            cell.setData("1" + label.casefold(), Role.ORDER)
        self.hosts[conn] = (key, items)
        group = self._group(key)
        group.insertRow(self._position(group, "1" + label.casefold(), 0), items)
        return items[0]

    def source_item(self, index: QModelIndex, column: int) -> QStandardItem:
        return self.source.itemFromIndex(index.siblingAtColumn(column))

    def parent_for(self, conn: Connection, key: str) -> QStandardItem:
        """The row a domain's row goes under in group ``key`` (made if new)."""
        if self.group_by is GroupBy.HOST_GROUP:
            return self.host_row(conn)
        return self._group(key)

    def keys_of(self, conn: Connection, uuid: str, source: list[QStandardItem]) -> tuple[str, ...]:
        return self._keys(conn, uuid, source[Column.STATE].data(Role.SORT))

    def source_row(self, conn: Connection, uuid: str) -> list[QStandardItem] | None:
        return self.source.row_items(conn, uuid)

    # -- rows ---------------------------------------------------------------

    def add_clone(self, conn: Connection, uuid: str) -> None:
        source = self.source_row(conn, uuid)
        if source is None:
            return
        entry = _Entry(self.keys_of(conn, uuid, source))
        for key in entry.keys:
            parent = self.parent_for(conn, key)
            row = [item.clone() for item in source]
            row[0].setData(conn, Role.CONNECTION)
            entry.rows.append(row)
            column = self._sort[0]
            key_now = str(row[column].data(Role.ORDER) or "") if column < len(row) else ""
            if self._detached is not None:
                parent.appendRow(row)  # sorted once, when attached, if it came out of order
                self._note_order(key, conn, key_now)
            else:
                parent.insertRow(self._position(parent, key_now, column), row)
            self.recount(key, 1)
        self.clones[(conn, uuid)] = entry
        self.cloned.setdefault(conn, set()).add(uuid)
        # The clones' wrappers leave the collector's generations, as the
        # host tree's rows do: a full collection over 10,000 domains' clones,
        # started by whichever thread allocates, held the interpreter lock
        # (and the window) for 40 ms.
        self._built += len(entry.rows)
        if self._built >= FREEZE_EVERY:
            self._built = 0
            gc.freeze()

    def _note_order(self, key: str, conn: Connection, order: str) -> None:
        """A row with sort key ``order`` was appended to group ``key`` (under
        ``conn``'s row, by host group) while it is built: the group is sorted
        when attached only if a row came out of order.  Qt sorted a group of
        5,000 rows in 10-19 ms, a step of its own, even when the host tree's
        order (the same column) had brought them in order."""
        parent = (key, conn if self.group_by is GroupBy.HOST_GROUP else None)
        last = self._last_keys.get(parent)
        if last is not None and (
            order > last if self._sort[1] == Qt.SortOrder.DescendingOrder else order < last
        ):
            self._unsorted.add(key)
        self._last_keys[parent] = order

    def drop_clone(self, conn: Connection, uuid: str) -> None:
        entry = self.clones.pop((conn, uuid), None)
        if entry is None:
            return
        self.cloned.get(conn, set()).discard(uuid)
        rows, entry.rows = entry.rows, []
        for key, row in zip(entry.keys, rows, strict=True):
            parent = row[0].parent()
            position = row[0].row()
            row.clear()  # no reference left to the items Qt deletes now
            if parent is not None:
                with Quiet(self):  # the removal says it
                    release(parent, position)
                parent.removeRow(position)
            self.recount(key, -1)
            self.drop_group_if_empty(key)

    def _remove_group(self, key: str) -> None:
        group = self.group_items.pop(key, None)
        self._counts.pop(key, None)
        self._count_cells.pop(key, None)
        if group is None:
            return
        position = group.row()
        in_model = group.model() is self
        del group
        if in_model:
            self.removeRow(position)
        elif self._detached is not None:  # not in the model yet
            self._detached = [r for r in self._detached if r[0].data(Role.GROUP) != key]

    def drop_host(self, conn: Connection) -> None:
        for uuid in list(self.cloned.pop(conn, ())):
            self.drop_clone(conn, uuid)
        known = self.hosts.pop(conn, None)
        if known is None:
            return
        key, items = known
        parent = items[0].parent()
        position = items[0].row()
        items.clear()
        if parent is not None:
            parent.removeRow(position)
        self.drop_group_if_empty(key)

    def update_clone(self, conn: Connection, uuid: str) -> None:
        entry = self.clones.get((conn, uuid))
        source = self.source_row(conn, uuid)
        if entry is None or source is None:
            if source is not None:
                self.add_clone(conn, uuid)
            return
        if self.keys_of(conn, uuid, source) != entry.keys:
            if self._detached is None:
                self.moves.add(conn, uuid)  # to its new groups, with others (group_moves)
            else:  # out of sight: no view to spare
                self.drop_clone(conn, uuid)
                self.add_clone(conn, uuid)
            return
        column = self._sort[0]
        before = self.index_of_domain(conn, uuid, column).data(Role.ORDER)
        for row in entry.rows:
            self.complete(source, row)
            self.copy_cells(source, row)
        if self.index_of_domain(conn, uuid, column).data(Role.ORDER) != before:
            self.resort_soon()  # its place changed

    def complete(self, source: list[QStandardItem], row: list[QStandardItem]) -> None:
        """Clone the cells the host tree's row got since ``row`` was cloned
        from it (usage cells, made once a usage column is shown or sorted by)."""
        if len(row) < len(source):
            parent, position = row[0].parent(), row[0].row()
            with Quiet(self):  # the copy that follows says it
                for column in range(len(row), len(source)):
                    row.append(source[column].clone())
                    if parent is not None:
                        parent.setChild(position, column, row[column])

    def copy_cells(self, source: list[QStandardItem], row: list[QStandardItem]) -> None:
        for src, dst in zip(source, row, strict=True):
            want = self.source.itemData(src.index())
            index = dst.index()
            for role in self.itemData(index):
                if role not in want and role not in OWN_ROLES:
                    dst.setData(None, role)
            self.setItemData(index, want)

    # -- order ----------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Groups by their names, and each group's rows as the host tree sorts them.

        The same sort again (the tree given this model, its header restored)
        changes nothing: rows are kept in order as they come and change, and
        sorting 10,000 rows again took 15-35 ms in one step."""
        if (column, order) == self._sort:
            return
        self._sort = (column, order)
        self.resort_soon()

    def resort_soon(self) -> None:
        if not self._resort_queued:
            self._resort_queued = True
            QTimer.singleShot(0, self.guarded(self._resort, only_grouped=False))

    def _resort(self) -> None:
        self._resort_queued = False
        if self.group_by is GroupBy.HOST:
            return
        if self.slicer.busy:  # after the last slice
            self.resort_soon()
            return
        if self._detached is None:
            super().sort(*self._sort)

    # -- lookups for the window -------------------------------------------------

    def connection_at(self, index: Index) -> Connection | None:
        if not index.isValid() or index.model() is not self:
            return None
        conn = first_column(index).data(Role.CONNECTION)
        return conn if isinstance(conn, Connection) else None

    def record_at(self, index: Index) -> DomainRecord | None:
        conn = self.connection_at(index)
        first = first_column(index)
        if conn is None or first.data(Role.KIND) != "domain":
            return None
        return conn.domains.get(first.data(Role.UUID))

    def index_of_domain(self, conn: Connection, uuid: str, column: int = 0) -> QModelIndex:
        entry = self.clones.get((conn, uuid))
        if entry is None or not entry.rows:
            return QModelIndex()
        return entry.rows[0][0].index().siblingAtColumn(column)  # a usage cell may not exist

    def index_of_connection(self, conn: Connection) -> QModelIndex:
        known = self.hosts.get(conn)
        return QModelIndex() if known is None else known[1][0].index()

    def index_of_group(self, key: str) -> QModelIndex:
        group = self.group_items.get(key)
        return QModelIndex() if group is None else group.index()

    # -- dragging hosts between host groups ---------------------------------

    def mimeTypes(self) -> list[str]:
        return [HOSTS_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction  # never Move: the view would remove the rows

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return hosts_data(indexes)

    def canDropMimeData(
        self, data: QMimeData, _action: Qt.DropAction, _row: int, _column: int, parent: Index
    ) -> bool:
        return data.hasFormat(HOSTS_MIME) and self._drop_group(parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Hosts dropped on a group (or on anything in it) move to that group."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        group = self._drop_group(parent)
        uris = hosts_of(data)
        if uris and group is not None:
            # After the drop returns: moving rebuilds the rows the drop came from.
            QTimer.singleShot(0, lambda: self._layout.move_hosts(uris, group))
        return True

    def _drop_group(self, parent: Index) -> str | None:
        return group_of(parent) if self.group_by is GroupBy.HOST_GROUP else None
