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
from kvmdesk.models.tree_rows import DISPLAY, Quiet

if TYPE_CHECKING:
    from kvmdesk.models.groups import GroupsModel

MARKS_PER_STEP = 64  # marks copied between two yields


class HostTreeFollower:
    def __init__(self, model: GroupsModel) -> None:
        self.model = model
        self.resync_queued = False
        source = model.source
        for signal, slot in (
            (source.rowsInserted, self._rows_inserted),
            (source.rowsAboutToBeRemoved, self._rows_removing),
            (source.dataChanged, self._data_changed),
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
        conn = parent.data(Role.CONNECTION)
        uuids = self._uuids_in(QPersistentModelIndex(parent), top.row(), bottom.row())
        columns = (top.column(), bottom.column())
        # In a turn of its own: the host tree says a tick at the end of a
        # pass that has spent its budget already.
        if self.model.group_by is GroupBy.STATE and columns[0] <= Column.STATE <= columns[1]:
            job = self._update_all(self.model.generation, conn, uuids)
        else:
            job = self._copy_columns(self.model.generation, conn, uuids, *columns)
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
        moved = False
        for uuid in uuids:
            if generation != self.model.generation:
                return
            entry = self.model.clones.get((conn, uuid))
            if entry is None:
                continue
            for column in range(first, last + 1):
                source = self.model.source.index_of_domain(conn, uuid, column)
                if not source.isValid():
                    break
                text, order = source.data(DISPLAY), source.data(Role.ORDER)
                for row in entry.rows:
                    cell = row[column]
                    if tick and cell.data(DISPLAY) == text and cell.data(Role.ORDER) == order:
                        continue
                    moved = moved or cell.data(Role.ORDER) != order
                    with quiet:
                        self.model.copy_cells([self.model.source.itemFromIndex(source)], [cell])
            yield 1
        if moved:
            self.model.resort_soon()  # a sort key changed (a header click, a CPU tick)
        parents = [
            *self.model.group_items.values(),
            *(items[0] for _key, items in self.model.hosts.values()),
        ]
        for parent in parents:
            count = parent.rowCount()
            if count and parent.child(0, 0).data(Role.KIND) == "domain":
                self.model.dataChanged.emit(
                    parent.child(0, first).index(), parent.child(count - 1, last).index()
                )

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
