"""How the groups model follows the host tree: rows that come, change and go, ticks and marks.

Only the host tree's signals are followed, never libvirt.  Rows appended in
a batch announce only a layout change and are found from the end of their
host's rows; a range of changed cells (a stats tick over 10,000 rows) is
read and copied in slices; the search marks, written without signals, are
copied when the host tree says they changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtGui import QStandardItem

from kvmdesk.core.connection import Connection
from kvmdesk.core.tree_layout import GroupBy
from kvmdesk.models.columns import NCOLS, Column, Role
from kvmdesk.models.tree_rows import DISPLAY, TOOLTIP, Quiet

if TYPE_CHECKING:
    from kvmdesk.models.groups import GroupsModel

MARKS_PER_STEP = 64  # marks copied between two yields
# What a tick writes in a figure's cell (CPU, address, usage, a sort key).
TICK_ROLES = (DISPLAY, TOOLTIP, int(Role.SORT), int(Role.ORDER))
MOVED = object()  # a tick's copy changed a sort key


class HostTreeFollower:
    def __init__(self, model: GroupsModel) -> None:
        self.model = model
        self.resync_queued = False
        source = model.source
        for signal, slot in (
            (source.rowsInserted, self._rows_inserted),
            (source.rowsAboutToBeRemoved, self._rows_removing),
            (source.dataChanged, self._data_changed),
            (source.cellsChanged, self._cells_changed),
            (source.layoutChanged, self.resync_soon),
            (source.modelReset, model.rebuild),
            (source.matchesChanged, self._marks_changed),
            (model.facts.changed, self._facts_changed),
        ):
            signal.connect(model.guarded(slot))

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                conn = self.model.source.index(row, 0).data(Role.CONNECTION)
                if self.model.group_by is GroupBy.HOST_GROUP:
                    self.model.host_row(conn)
            return
        conn = parent.data(Role.CONNECTION)
        for row in range(first, last + 1):
            uuid = self.model.source.index(row, 0, parent).data(Role.UUID)
            if (conn, uuid) not in self.model.clones:
                self.model.add_clone(conn, uuid)

    def _rows_removing(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.model.drop_host(self.model.source.index(row, 0).data(Role.CONNECTION))
            return
        conn = parent.data(Role.CONNECTION)
        for row in range(first, last + 1):
            self.model.drop_clone(conn, self.model.source.index(row, 0, parent).data(Role.UUID))

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, _roles: Any = None) -> None:
        parent = top.parent()
        if not parent.isValid():
            for row in range(top.row(), bottom.row() + 1):
                known = self.model.hosts.get(self.model.source.index(row, 0).data(Role.CONNECTION))
                if known is not None:
                    index = self.model.source.index(row, 0)
                    self.model.copy_cells(
                        [self.model.source_item(index, c) for c in range(NCOLS)], known[1]
                    )
            return
        if self.model.source.cells_said:  # copied by uuid (_cells_changed)
            return
        uuids = self._uuids_in(QPersistentModelIndex(parent), top.row(), bottom.row())
        self._copy(parent.data(Role.CONNECTION), uuids, top.column(), bottom.column())

    def _cells_changed(self, conn: Connection, column: int, uuids: list[str]) -> None:
        """A column of some rows, said by uuid: only those rows are copied
        (a tick's dataChanged spans all 10,000 rows of a host when the few
        that changed are scattered: 6 % of a core went to reading them all)."""
        self._copy(conn, list(uuids), column, column)

    def _copy(self, conn: Connection, uuids: Iterable[str], first: int, last: int) -> None:
        # In a turn of its own: the host tree says a tick at the end of a
        # pass that has spent its budget already.
        if self.model.group_by is GroupBy.STATE and first <= Column.STATE <= last:
            job = self._update_all(self.model.generation, conn, uuids)
        else:
            job = self._copy_columns(self.model.generation, conn, uuids, first, last)
        self.model.slicer.add(job, now=False)

    def _uuids_in(self, parent: QPersistentModelIndex, first: int, last: int) -> Iterator[str]:
        """The uuids of a host's rows first..last, read as the job gets to
        them (a range of 10,000 rows is read in slices too)."""
        for row in range(first, last + 1):
            if not parent.isValid():
                return
            host = self.model.source.index(parent.row(), 0)
            uuid = self.model.source.index(row, 0, host).data(Role.UUID)
            if uuid is not None:
                yield uuid

    def _update_all(self, generation: int, conn: Connection, uuids: Iterable[str]) -> Iterator[int]:
        for uuid in uuids:
            if generation != self.model.generation:
                return
            self.model.update_clone(conn, uuid)
            yield 1

    def _copy_columns(
        self, generation: int, conn: Connection, uuids: Iterable[str], first: int, last: int
    ) -> Iterator[int]:
        """A few columns of many rows (a stats tick): written quietly, then
        said once per group, as the host tree says it once per host."""
        quiet = Quiet(self.model)
        # A tick's column (CPU, address) says a range of which few rows
        # changed: a cell whose text is the same is left alone.
        tick = first == last and first not in (Column.NAME, Column.STATE)
        moved = written = False
        for uuid in uuids:
            if generation != self.model.generation:
                return
            entry = self.model.clones.get((conn, uuid))
            source = None if entry is None else self.model.source_row(conn, uuid)
            if entry is None or source is None:
                continue
            with quiet:
                for row in entry.rows:
                    self.model.complete(source, row)
                for column in range(first, min(last + 1, len(source))):
                    if tick:
                        changed = self._copy_tick(source[column], [r[column] for r in entry.rows])
                        moved = moved or changed is MOVED
                        written = written or changed is not None
                        continue
                    order = source[column].data(Role.ORDER)
                    for row in entry.rows:
                        moved = moved or row[column].data(Role.ORDER) != order
                        self.model.copy_cells([source[column]], [row[column]])
                    written = True
            yield 1
        if moved:
            self.model.resort_soon()  # a sort key changed (a header click, a CPU tick)
        if not written:
            return
        parents = [
            *self.model.group_items.values(),
            *(items[0] for _key, items in self.model.hosts.values()),
        ]
        for parent in parents:
            count = parent.rowCount()
            if count and parent.child(0, 0).data(Role.KIND) == "domain":
                at = parent.index()  # a usage cell may not exist
                self.model.dataChanged.emit(
                    self.model.index(0, first, at), self.model.index(count - 1, last, at)
                )

    @staticmethod
    def _copy_tick(source: QStandardItem, cells: list[QStandardItem]) -> object:
        """A tick's cell (its text, tooltip and sort values) into its clones
        where they differ: None when none did, ``MOVED`` when a sort key did.

        Only these roles, read and written one by one: a tick changes
        thousands of figures of a 10,000-row host, and copying every role
        (``copy_cells``) cost three times as much."""
        values = [source.data(role) for role in TICK_ROLES]
        changed: object = None
        for cell in cells:
            for role, value in zip(TICK_ROLES, values, strict=True):
                if cell.data(role) != value:
                    if role == Role.ORDER:
                        changed = MOVED
                    elif changed is None:
                        changed = True
                    cell.setData(value, role)
        return changed

    def _facts_changed(self, conn: Connection, uuids: list[str]) -> None:
        if self.model.group_by in (GroupBy.TAG, GroupBy.OS):
            self.model.slicer.add(self._update_all(self.model.generation, conn, list(uuids)))

    def resync_soon(self) -> None:
        """Rows appended in a batch (or sorted) announce only a layout change."""
        if not self.resync_queued:
            self.resync_queued = True
            QTimer.singleShot(0, self.model.guarded(self._resync, only_grouped=False))

    def _resync(self) -> None:
        self.resync_queued = False
        if self.model.group_by is not GroupBy.HOST:
            self.model.slicer.add(self._resync_job(self.model.generation))

    def _resync_job(self, generation: int) -> Iterator[int]:
        """Clone the rows the host tree appended without a signal per row.

        Removals always come with a signal; rows appended in a batch come at
        the end of their host's rows, so they are looked for from the end,
        until as many are found as are missing (a sort in between only
        makes the search longer).
        """
        source = self.model.source
        again = False
        for row in range(source.rowCount()):
            top = QPersistentModelIndex(source.index(row, 0))
            conn = top.data(Role.CONNECTION)
            known = self.model.cloned.setdefault(conn, set())
            r = source.rowCount(top) - 1
            while r >= 0 and len(known) < source.rowCount(top):
                if generation != self.model.generation:
                    return
                if not top.isValid() or r >= source.rowCount(top):
                    again = True  # changed between two slices: look again
                    break
                uuid = source.index(r, 0, source.index(top.row(), 0)).data(Role.UUID)
                if uuid not in known:
                    self.model.add_clone(conn, uuid)
                r -= 1
                yield 1
        if again:
            self.resync_soon()

    def _marks_changed(self, marked: list[QStandardItem]) -> None:
        # Each mark as said (the items may be gone by the time it is copied;
        # a mark that changes again is said again, and copied after this one).
        marks = [
            (item.parent().data(Role.CONNECTION), item.data(Role.UUID), item.data(Role.MATCH))
            for item in marked
        ]
        self.model.slicer.add(self._copy_marks(self.model.generation, marks))

    def _copy_marks(
        self, generation: int, marks: list[tuple[Connection, str, str]]
    ) -> Iterator[int]:
        """Copy the changed marks to their clones; say which clones changed,
        a slice at a time (the clones are alive while it is said).  The marks
        are written with the model's signals held once per slice, not once
        per row, and not looked up again in the host tree: half of a slice's
        time went to finding each row there."""
        quiet = Quiet(self.model)
        clones = self.model.clones
        for start in range(0, len(marks), MARKS_PER_STEP):
            if generation != self.model.generation:
                return
            changed: list[QStandardItem] = []
            with quiet:
                for conn, uuid, text in marks[start : start + MARKS_PER_STEP]:
                    entry = clones.get((conn, uuid))
                    if entry is None:
                        continue
                    for row in entry.rows:
                        if row[0].data(Role.MATCH) != text:
                            row[0].setData(text, Role.MATCH)
                            changed.append(row[0])
            if changed:
                self.model.matchesChanged.emit(changed)
            yield MARKS_PER_STEP
