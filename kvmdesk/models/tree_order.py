"""The host tree's order and search marks: header sorts, rows kept in order, matching.

Kept apart from ``tree.py`` (rows coming, changing and going).

A header sort writes the sorted column's keys (``Role.ORDER``) a chunk
of rows per step with the model's signals blocked, says once for the
column that they changed (the groups model copies them), then lets Qt
sort the rows in one step of their own: by the column's numbers
(``Role.SORT``) when the rows are in name order, which ties keep.  Written one by one with their
signals, each key was a ``dataChanged`` answered in Python by every
listener: 10,000 of them took a dozen frames.

The search marks rows the same way: a slice of rows per step, matched a
column at a time (``RowMatcher.select``) against the marks kept with the
connection (``ConnNode.unmatched``), and only the marks that changed
written, with the model's signals blocked; then ``matchesChanged`` carries
the rows whose mark changed, so that the view hides or shows only those.
A slice is sized by the time the last one took: a key that changes few
marks is done within one turn, one that changes thousands never takes a
frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem

from kvmdesk.core.connection import Connection
from kvmdesk.models.columns import USAGE, Column, Role
from kvmdesk.models.slicer import TURN
from kvmdesk.models.sorting import order_key
from kvmdesk.models.tree_rows import ConnNode, Quiet, match_text
from kvmdesk.virt.records import DomainRecord

if TYPE_CHECKING:
    from kvmdesk.models.addresses import AddressBook
    from kvmdesk.models.slicer import Slicer
    from kvmdesk.models.usage import UsageBook

Matcher = Callable[[Connection, DomainRecord], bool]

# Beyond this many rows a connection's Qt sort or first ordering costs a
# frame or more: it is spread over turns, or given a turn of its own.
SORT_IN_TURNS = 512
# A search over more rows than this starts on the next turn: the keystroke's
# own turn paints the text first.
SEARCH_NOW_MAX = 1000
# Columns whose ``Role.SORT`` orders exactly as their keys do (whole numbers;
# figures such as CPU % are rounded in their keys).
EXACT_VALUES = (Column.STATE, Column.VCPUS, Column.MEMORY)
# A connection's rows in no known order (``ConnNode.sorted_by``).
UNSORTED = (-1, Qt.SortOrder.AscendingOrder)
CHUNK = 64  # rows keyed or ranked between two yields (about a millisecond)
STEP_S = 0.001  # rows matched, or said, between two yields: about this long
# Rows matched in a step: at least, at first, at most.  The most is kept
# low: a step that changes every mark costs ~2 us a row (the view hides
# ~5 us a row said), however cheap the step before it was.
MATCH_ROWS = (64, 512, 1024)
SAY_ROWS = (32, 128, 256)  # rows whose marks changed said in one signal (the view hides them)


class TreeOrder:
    """Sorting and search marks of ``DomainTreeModel`` (a mixin of it)."""

    slicer: Slicer
    addresses: AddressBook
    usage: UsageBook
    _nodes: list[ConnNode]
    _sort_column: int
    _sort_order: Qt.SortOrder
    _usage_cells: bool
    _matcher: Matcher | None
    _marked: list[tuple[ConnNode, str]]  # rows whose mark changed, not yet said

    # Provided by the model (QStandardItemModel and tree.py).
    if TYPE_CHECKING:

        def setSortRole(self, role: int) -> None: ...
        def _cell(
            self, node: ConnNode, items: list[QStandardItem], column: int
        ) -> QStandardItem: ...
        def _cells_changed(self, node: ConnNode, column: int, uuids: list[str]) -> None: ...

    # -- keys -----------------------------------------------------------------

    def _order(self, node: ConnNode) -> Callable[[DomainRecord], str]:
        column, conn = self._sort_column, node.conn
        if column == Column.CPU:
            return lambda rec: order_key(column, rec, conn.cpu.get(rec.uuid))
        if column == Column.ADDRESS or column in USAGE:
            return lambda rec: order_key(column, rec, self._column_value(node, column, rec))
        return lambda rec: order_key(column, rec, None)

    def _column_value(self, node: ConnNode, column: int, rec: DomainRecord) -> Any:
        if column == Column.CPU:
            return node.conn.cpu.get(rec.uuid)
        if column == Column.ADDRESS:
            return self.addresses.text(node.conn, rec.uuid)
        if column in USAGE:
            return self.usage.value(node.conn, rec.uuid, column)
        return None

    def _set_order(self, node: ConnNode, items: list[QStandardItem], rec: DomainRecord) -> None:
        """Only the sorted column carries a sort key (besides the name)."""
        if node.rows.get(rec.uuid) is not items:  # a new row: no key yet
            for keyed in node.keyed.values():
                keyed.pop(rec.uuid, None)
        column = self._sort_column
        if column != Column.NAME:
            value = self._column_value(node, column, rec)
            self._cell(node, items, column).setData(order_key(column, rec, value), Role.ORDER)
            if column in EXACT_VALUES:
                node.keyed.setdefault(column, {})[rec.uuid] = rec

    def _position(self, node: ConnNode, key: str) -> int:
        """Where a row with sort key ``key`` belongs (after its equals).

        Rows placed before a header click that came meanwhile have no key
        in the new column yet (read as ""): the sort queued after this job
        puts every row in its place."""
        parent, column = node.item, self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        hi = parent.rowCount()
        if not hi:
            return 0
        last = parent.child(hi - 1, column).data(Role.ORDER) or ""
        if (key <= last) if descending else (key >= last):
            return hi  # the common case of a listing in order: append
        lo = 0
        while lo < hi:
            mid = (lo + hi) // 2
            other = parent.child(mid, column).data(Role.ORDER) or ""
            if (key > other) if descending else (key < other):
                hi = mid
            else:
                lo = mid + 1
        return lo

    # -- header sorts -----------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Each connection's rows in order (in C++); the connections keep theirs."""
        if not 0 <= column < len(Column) or (column, order) == (
            self._sort_column,
            self._sort_order,
        ):
            return  # rows are kept in the current order as they come
        self._sort_column, self._sort_order = column, order
        self._usage_cells = self._usage_cells or column in USAGE
        for node in self._nodes:
            self.slicer.add(self._resort(node, column, order))

    def _resort(self, node: ConnNode, column: int, order: Qt.SortOrder) -> Iterator[int]:
        """Give the column's items their sort keys (quietly, said once), then
        let Qt sort them in a turn of its own."""
        if column != Column.NAME:
            changed = yield from self._write_keys(node, column, order)
            if changed is None:
                return  # the connection left, or another sort came
            if changed:  # listeners (the groups model copies the keys) hear of them once
                self._cells_changed(node, column, [u for u in changed if u in node.rows])
        if (column, order) == (self._sort_column, self._sort_order):
            # Rows in name order (the same way round) need only the column's
            # values: Qt's sort keeps equals in the order they are in, which is
            # the keys' order, and compares numbers instead of long strings.
            by_value = column in EXACT_VALUES and node.sorted_by == (Column.NAME, order)
            yield from self._sort_rows(node, by_value)

    def _write_keys(
        self, node: ConnNode, column: int, order: Qt.SortOrder
    ) -> Generator[int, None, list[str] | None]:
        """Write the column's keys a chunk of rows per step, with the model's
        signals blocked; the rows whose key changed (None: given up).

        A key already there is not written again: after a sort, Qt searches
        for each item it moved on its first write (~20 µs, 200 ms for 10,000
        rows), and the keys of a column sorted by before are mostly still right."""
        wanted = (column, order)
        key = self._order(node)
        quiet = Quiet(cast(QObject, self))
        # A key made from the record alone is known to be there when it was
        # written from the record the row shows (reading it back costs more
        # than making it); any other key is made and compared.
        keyed = node.keyed.setdefault(column, {}) if column in EXACT_VALUES else None
        uuids = list(node.rows)
        changed: list[str] = []
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start : start + CHUNK]
            with quiet:
                for uuid in chunk:
                    items = node.rows.get(uuid)
                    if items is None:
                        continue
                    rec = node.applied[uuid]
                    if keyed is not None:
                        if keyed.get(uuid) is rec:
                            continue
                        keyed[uuid] = rec
                    cell = self._cell(node, items, column)
                    text = key(rec)
                    if keyed is not None or cell.data(Role.ORDER) != text:
                        cell.setData(text, Role.ORDER)
                        changed.append(uuid)
            yield len(chunk)
            if node.removed or wanted != (self._sort_column, self._sort_order):
                return None
        return changed

    def _sort_rows(self, node: ConnNode, by_value: bool = False) -> Iterator[int]:
        """Qt sorts the rows; many of them in a turn of their own."""
        if node.item.rowCount() > SORT_IN_TURNS:
            yield TURN
        if node.removed:
            return
        if by_value:
            self.setSortRole(Role.SORT)
        try:
            node.item.sortChildren(self._sort_column, self._sort_order)
        finally:
            if by_value:
                self.setSortRole(Role.ORDER)
        node.sorted_by = (self._sort_column, self._sort_order)
        yield node.item.rowCount()

    # -- search marks -------------------------------------------------------------

    def set_matcher(self, matcher: Matcher | None) -> None:
        """Mark each domain row with ``Role.MATCH`` (what a filter shows)."""
        self._matcher = matcher
        now = sum(len(node.rows) for node in self._nodes) <= SEARCH_NOW_MAX
        for node in self._nodes:
            self.slicer.add(self._apply_matcher(node), now)

    @property
    def matching(self) -> bool:
        """Rows are still being marked for the current matcher."""
        return self.slicer.busy

    def _apply_matcher(self, node: ConnNode) -> Iterator[int]:
        """Mark the connection's rows, slice by slice, then say which marks
        changed.  Those are kept apart until then: a flush by a job that
        runs meanwhile (an event, tags) would say them all in its step."""
        matcher = self._matcher
        uuids = list(node.rows)
        start, size = 0, MATCH_ROWS[1]
        marked: list[tuple[ConnNode, str]] = []
        try:
            while start < len(uuids):
                began = time.perf_counter()
                done = self._match_rows(node, uuids[start : start + size], marked)
                start += size
                if start >= len(uuids):
                    break  # not after the last: a few rows are marked and said in one step
                size = _resized(size, began, MATCH_ROWS)
                yield done or 1
                if matcher is not self._matcher or node.removed:
                    return
        finally:
            self._marked += marked  # said by the next pass, if this one is given up
        if matcher is self._matcher:
            yield from self._say_marks()

    def _matcher_reads(self, field: str) -> bool:
        """The matcher's answers may change with ``field`` (``core.search.COLUMNS``)."""
        fields = getattr(self._matcher, "fields", None)
        return self._matcher is not None and (fields is None or field in fields)

    def _match_rows(
        self, node: ConnNode, uuids: list[str], marked: list[tuple[ConnNode, str]] | None = None
    ) -> int:
        """Mark these rows (those still there) as the matcher answers, all
        at once, quietly; the rows whose mark changed are added to ``marked``
        (by default, those said next).  How many rows were matched."""
        marked = self._marked if marked is None else marked
        rows, unmatched = node.rows, node.unmatched
        uuids = [u for u in uuids if u in rows]
        applied = node.applied
        answers = _select(self._matcher, node, [applied[u] for u in uuids])
        pairs = list(zip(uuids, answers, strict=True))
        shown = [u for u, m in pairs if m and u in unmatched]
        hidden = [u for u, m in pairs if not m and u not in unmatched]
        for changed, text in ((shown, match_text(True)), (hidden, match_text(False))):
            if changed:
                with Quiet(cast(QObject, self)):
                    for uuid in changed:
                        rows[uuid][Column.NAME].setData(text, Role.MATCH)
                marked += [(node, uuid) for uuid in changed]
        unmatched.difference_update(shown)
        unmatched.update(hidden)
        return len(uuids)

    def _say_marks(self) -> Iterator[int]:
        """Say which rows' marks changed, a slice of rows per step, by their
        name items (alive while it is said); rows built but not yet in the
        tree are said once they are."""
        marked, self._marked = self._marked, []
        waiting = []
        start, size = 0, SAY_ROWS[1]
        while start < len(marked):
            began = time.perf_counter()
            items = []
            for node, uuid in marked[start : start + size]:
                row = None if node.removed else node.rows.get(uuid)
                if row is None:
                    continue
                if row[0].model() is None:
                    waiting.append((node, uuid))
                else:
                    items.append(row[0])
            if items:
                cast(Any, self).matchesChanged.emit(items)
            start += size
            size = _resized(size, began, SAY_ROWS)
            yield len(items) or 1
        self._marked += waiting

    def _flush_marks(self) -> None:
        """Say which rows' marks changed: at once when they are a few (after
        changes), else in slices (marks of a search pass given up)."""
        if len(self._marked) > SAY_ROWS[2]:
            self.slicer.add(self._say_marks())
            return
        for _ in self._say_marks():
            pass


def _select(matcher: Matcher | None, node: ConnNode, recs: Sequence[DomainRecord]) -> list[bool]:
    """Whether each of the connection's ``recs`` matches: at once where the
    matcher can (``RowMatcher.select``), else one by one; every row without
    a matcher."""
    if matcher is None:
        return [True] * len(recs)
    many = getattr(matcher, "select", None)
    if many is not None:
        return cast(list[bool], many(node.conn, recs, node.words))
    return [matcher(node.conn, rec) for rec in recs]


def _resized(size: int, began: float, bounds: tuple[int, int, int]) -> int:
    """The next step's rows: as many as take about ``STEP_S``, as the step
    of ``size`` rows begun at ``began`` took, within ``bounds``."""
    taken = max(time.perf_counter() - began, 1e-6)
    return max(bounds[0], min(bounds[2], int(size * STEP_S / taken)))
