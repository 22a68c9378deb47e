"""Connection -> domain tree, held by Qt itself and updated in slices.

The rows live in a ``QStandardItemModel``: laying out and painting 10,000
rows then makes no call into Python at all (with a Python model every row
the view lays out is a call into Python, each waiting for the interpreter
lock the workers hold, and the window stalled for 150 ms when 10,000 rows
arrived).  Python only writes: a new or changed domain sets its row's items,
a stats tick the CPU column, and all of it goes through a ``Slicer`` that
stops after a few milliseconds per loop turn so that no frame is dropped
however many rows arrive, change or leave.

No model reset after the first fill: a changed domain changes its own
items, a new one is inserted at its place in the order, a vanished one
removed.  Each connection's rows are kept sorted by Qt (``Role.ORDER``).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.facts import FactBook
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.messages import tr
from kvmdesk.models.addresses import AddressBook
from kvmdesk.models.columns import (
    CONNECTION_FLAGS,
    NCOLS,
    NUMERIC,
    SORT_SENSITIVE,
    USAGE,
    Column,
    Role,
    format_memory,
)
from kvmdesk.models.icons import icon
from kvmdesk.models.slicer import MIN_UNITS, TURN, Slicer
from kvmdesk.models.sorting import order_key
from kvmdesk.models.tree_order import (
    SEARCH_NOW_MAX,
    SORT_IN_TURNS,
    UNSORTED,
    Matcher,
    TreeOrder,
)
from kvmdesk.models.tree_rows import (
    DECORATION,
    DISPLAY,
    FOREGROUND,
    RIGHT,
    TOOLTIP,
    ConnNode,
    Quiet,
    live_rows,
    match_text,
    name_tip,
    prototypes,
    set_value,
    stale_brush,
    take_pending,
)
from kvmdesk.models.usage import UsageBook
from kvmdesk.virt.records import DomainRecord
from kvmdesk.virt.shown import shown
from kvmdesk.virt.stats import CpuFigures

Index = QModelIndex | QPersistentModelIndex
__all__ = [
    "SEARCH_NOW_MAX",
    "SORT_IN_TURNS",
    "Column",
    "DomainTreeModel",
    "Matcher",
    "Role",
    "format_memory",
]

_CONN_ICONS = {
    ConnState.CONNECTED: "conn-connected",
    ConnState.CONNECTING: "conn-connecting",
    ConnState.WAITING: "conn-connecting",
    ConnState.DISCONNECTED: "conn-disconnected",
}
APPEND_BATCH = 32  # rows built, then appended with one layout change
# Every this many rows built, the objects alive so far leave the garbage
# collector's generations (gc.freeze): a full collection over 10,000 rows'
# items and records stopped the window for 150 ms.  They are freed by
# reference counting all the same; only cycles among them would stay.
FREEZE_EVERY = 2000
KEYS_PER_STEP = 256  # sort keys computed between two yields of a first listing
MAX_RUNS = 16  # changed cells signalled run by run; beyond, one span for all
# More changed cells than this are said in one span over the whole column,
# without finding their rows (at 5,000 that alone took 12 ms in one turn).
SPAN_ALL = 512
CELLS_PER_STEP = 32  # changed figures written between two yields of a stats tick
COMPARE_PER_STEP = 1024  # figures compared with the shown ones between two yields
FACTS_PER_STEP = 128  # rows given new tags between two yields


class DomainTreeModel(TreeOrder, QStandardItemModel):
    # Marks (Role.MATCH) are written without dataChanged, which every
    # listener would answer row by row; this says once per job which rows'
    # marks changed (their name items), and the view hides or shows them.
    matchesChanged = Signal(object)  # list of name items (a list signal copied each one twice)
    # A column's cells changed in some of a host's rows (a stats tick, sort
    # keys, addresses, tags' tooltips): said with the rows' uuids before the
    # dataChanged that cover them (``cells_said`` while those are said),
    # which, for rows scattered over 10,000, spans them all.  A model that
    # copies cells (the groups) copies these rows, not the whole span.
    cellsChanged = Signal(object, int, object)  # connection, column, list of uuids
    # Rows are about to go after the last row of this item (a connection's):
    # a view may leave its picture as it is while they land below it.
    rowsAppending = Signal(object)

    def __init__(self, manager: ConnectionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[ConnNode] = []
        self._manager = manager
        self._sort_column = int(Column.NAME)
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._matcher: Matcher | None = None
        self._marked: list[tuple[ConnNode, str]] = []  # rows whose mark changed
        self._built = 0  # rows built since the last gc.freeze
        self._protos = prototypes()
        self._proto_cache: dict[tuple[int, Any], QStandardItem] = {}
        self._usage_cells = False  # rows get usage cells (once one was shown or sorted by)
        self.cells_said = False  # the dataChanged being said were said by cellsChanged
        self.slicer = Slicer(self)
        self.setColumnCount(NCOLS)
        self.setHorizontalHeaderLabels(
            [
                tr("Name"),
                tr("State"),
                tr("vCPUs"),
                tr("Memory"),
                tr("CPU %"),
                tr("IP Address"),
                tr("Memory Use"),
                tr("Disk I/O"),
                tr("Network I/O"),
            ]
        )
        for column in NUMERIC:
            self.setHeaderData(
                column, Qt.Orientation.Horizontal, RIGHT, Qt.ItemDataRole.TextAlignmentRole
            )
        self.setSortRole(Role.ORDER)
        self.addresses = AddressBook(manager, self)  # the optional IP Address column
        self.addresses.changed.connect(self._addresses_changed)
        self.usage = UsageBook(manager, self)  # the optional usage columns
        self.usage.changed.connect(self._usage_changed)
        self.facts = FactBook(manager, self)  # tags and OS, read once something asks
        self.facts.changed.connect(self._facts_changed)
        manager.connectionAdded.connect(self._add_connection)
        manager.connectionRemoved.connect(self._remove_connection)
        for conn in manager.connections:
            self._add_connection(conn)
        # Rows that count down to a reconnect are repainted once a second.
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick_waiting)
        self._ticker.start()

    # -- lookups for the views --------------------------------------------

    def _node_at(self, index: Index) -> tuple[ConnNode | None, bool]:
        """The connection node of ``index`` and whether it is a domain row."""
        if not index.isValid() or index.model() is not self:
            return None, False
        parent = index.parent()
        if parent.isValid():
            return self._nodes[parent.row()], True
        return self._nodes[index.row()], False

    def _node_of(self, conn: Connection) -> ConnNode | None:
        return next((n for n in self._nodes if n.conn is conn), None)

    @property
    def connections(self) -> list[Connection]:
        return [n.conn for n in self._nodes]

    def connection_at(self, index: Index) -> Connection | None:
        node, _ = self._node_at(index)
        return None if node is None else node.conn

    def record_at(self, index: Index) -> DomainRecord | None:
        node, is_domain = self._node_at(index)
        if node is None or not is_domain:
            return None
        uuid = self.index(index.row(), 0, index.parent()).data(Role.UUID)
        return node.conn.domains.get(uuid)

    def index_of_connection(self, conn: Connection) -> QModelIndex:
        node = self._node_of(conn)
        return QModelIndex() if node is None else node.item.index()

    def index_of_domain(self, conn: Connection, uuid: str, column: int = 0) -> QModelIndex:
        node = self._node_of(conn)
        items = None if node is None else node.rows.get(uuid)
        if items is None:
            return QModelIndex()
        name = items[Column.NAME]  # a usage cell may not exist yet (see _cell)
        return self.index(name.row(), column, name.index().parent())

    def row_items(self, conn: Connection, uuid: str) -> list[QStandardItem] | None:
        """A domain's items (the groups model clones them, and finding each
        through its index cost 0.2 ms a row in Python); the usage cells only
        once rows get them (``_usage_cells``): made for every row to be
        cloned, they and their clones were 60,000 more items and Python
        wrappers, and PySide's table of wrappers grew once more while
        grouping 10,000 rows (33 ms in one step)."""
        node = self._node_of(conn)
        items = None if node is None else node.rows.get(uuid)
        if node is None or items is None or items[Column.NAME].model() is None:
            return None  # not in the model yet
        if self._usage_cells:
            self._cell(node, items, NCOLS - 1)
        return items

    # -- connection rows --------------------------------------------------

    def _show_connection(self, node: ConnNode) -> None:
        """The connection's row, written quietly and said once: a fleet
        opening changes fifty of them, and each write signalled on its own
        reached the view and the window six times a row."""
        conn = node.conn
        row = node.item.row()
        name, state = node.item, self.item(row, Column.STATE)
        label = messages.connection_label(conn)
        if conn.state is ConnState.DISCONNECTED and conn.failure is not None:
            decoration = icon("conn-error")
        else:
            decoration = icon(_CONN_ICONS[conn.state])
        text = messages.connection_state_text(conn)
        tooltip = messages.plain_tooltip(messages.connection_state_tooltip(conn))
        with Quiet(self):
            name.setData(label, DISPLAY)
            name.setData(label, Role.SORT)
            name.setData(decoration, DECORATION)
            name.setData(messages.plain_tooltip(conn.uri), TOOLTIP)
            state.setData(text, DISPLAY)
            state.setData(text, Role.SORT)
            state.setData(tooltip, TOOLTIP)
        self.dataChanged.emit(name.index(), state.index())

    def _add_connection(self, conn: Connection) -> None:
        items = [QStandardItem() for _ in range(NCOLS)]
        for item in items:
            item.setFlags(CONNECTION_FLAGS)
            item.setData("connection", Role.KIND)
            item.setData(conn, Role.CONNECTION)
        items[0].setData(match_text(False), Role.MATCH)  # shown for its matching rows
        items[0].setColumnCount(NCOLS)  # its rows' usage cells may come later (_cell)
        node = ConnNode(conn, items[0])
        node.sorted_by = (self._sort_column, self._sort_order)  # its first rows come in order
        self._nodes.append(node)
        self.appendRow(items)
        self._show_connection(node)
        for signal, method in (
            (conn.stateChanged, self._conn_changed),
            (conn.domainsReset, self._sync_all),
            (conn.domainChanged, self._domain_changed),
            (conn.domainRemoved, self._domain_removed),
            (conn.statsUpdated, self._stats_changed),
        ):
            slot = self._guarded(method, node)
            signal.connect(slot)
            node.slots.append((signal, slot))
        if conn.domains:
            self._sync_all(node)

    def _guarded(self, method: Callable[..., None], node: ConnNode) -> Callable[..., None]:
        """``method(node, *args)``, until Qt deleted the model (its window may
        close before the connections do)."""

        def slot(*args: Any) -> None:
            if shiboken6.isValid(self):
                method(node, *args)

        return slot

    def _remove_connection(self, conn: Connection) -> None:
        node = self._node_of(conn)
        if node is None:
            return
        for signal, slot in node.slots:
            signal.disconnect(slot)
        node.removed = True
        row = self._nodes.index(node)
        self._nodes.pop(row)
        self.removeRow(row)

    def _conn_changed(self, node: ConnNode) -> None:
        if node.removed:
            return
        self._show_connection(node)
        # While the link is down the rows stay (so do selection and
        # expansion) but are drawn as stale; the reconnect refreshes them.
        self._restyle(node)

    def _restyle(self, node: ConnNode) -> None:
        stale = not node.conn.is_connected
        if stale != node.stale:
            node.stale = stale
            self.slicer.add(self._paint_stale(node, stale))

    def _paint_stale(self, node: ConnNode, stale: bool) -> Iterator[None]:
        brush = stale_brush() if stale else None
        quiet = Quiet(self)
        for _uuid, items in live_rows(node):
            if node.stale != stale:
                return
            with quiet:
                for item in items:
                    item.setData(brush, FOREGROUND)
            yield
        if not node.removed and node.item.rowCount():
            last = node.item.rowCount() - 1
            self.dataChanged.emit(
                node.item.child(0, 0).index(), self.index(last, NCOLS - 1, node.item.index())
            )

    def _tick_waiting(self) -> None:
        for node in self._nodes:
            if node.conn.state is ConnState.WAITING:
                self._show_connection(node)

    # -- domain rows --------------------------------------------------------

    def _sync_all(self, node: ConnNode) -> None:
        """Bring the rows in line with ``conn.domains`` after a full listing."""
        domains = node.conn.domains
        for uuid in [u for u in node.rows if u not in domains]:
            self._domain_removed(node, uuid)
        for uuid in [u for u in node.pending if u not in domains]:
            del node.pending[uuid]
        applied = node.applied
        # A record compared with None or itself makes no call into Python:
        # 10,000 of them through the dataclass's __eq__ took 2 ms of this turn.
        fresh = [
            r
            for u, r in domains.items()
            if (was := applied.get(u)) is None or (was is not r and was != r)
        ]
        if not node.rows and not node.pending:  # placed in the order of now
            node.sorted_by = (self._sort_column, self._sort_order)
        if not node.rows and not node.pending and len(fresh) > MIN_UNITS:
            # Sorted and built from the slicer's next turn: a fleet's hosts
            # list together, and each sorting and starting its rows within
            # the turn its listing came in stopped the window for 100 ms.
            node.pending = {r.uuid: r for r in fresh}
            self.slicer.add(self._sort_pending(node), now=False)
        else:
            if not node.rows:  # in order, so that each new row is appended
                key = self._order(node)
                fresh.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
            self._queue(node, fresh)
        self._restyle(node)

    def _sort_pending(self, node: ConnNode) -> Iterator[int]:
        """A first listing of many rows: its sort keys a slice per turn, then
        the rows in that order (each one appended, none inserted)."""
        key = self._order(node)
        records = list(node.pending.values())
        uuid_of: dict[str, str] = {}  # sort key (unique: it ends in the uuid) -> uuid
        for start in range(0, len(records), KEYS_PER_STEP):
            uuid_of.update((key(r), r.uuid) for r in records[start : start + KEYS_PER_STEP])
            yield min(KEYS_PER_STEP, len(records) - start)
            if node.removed:
                return
        yield TURN  # sorting 10,000 keys takes a few milliseconds: not on top of a slice
        keys = sorted(uuid_of, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        yield 1
        # Taken from ``pending`` in this order, each as it is now (events that
        # came meanwhile updated records in place or added new ones): no
        # pending dict rebuilt in order, which alone took 4 ms in one pass.
        yield from self._apply_pending(node, [uuid_of[k] for k in keys])

    def _domain_changed(self, node: ConnNode, record: DomainRecord) -> None:
        # A new domain gets its row at once (whoever listens next may select
        # it); changes wait for the next turn, so a burst of a thousand
        # events is written in slices, not within the turn that brought them.
        if not node.removed:
            self._queue(node, [record], now=record.uuid not in node.rows)

    def _queue(self, node: ConnNode, records: list[DomainRecord], now: bool = True) -> None:
        start = not node.pending
        for record in records:
            node.pending[record.uuid] = record
        if start and node.pending:
            self.slicer.add(self._apply_pending(node), now)
        elif now and node.pending:
            self.slicer.run()

    def _apply_pending(self, node: ConnNode, first: list[str] | None = None) -> Iterator[int]:
        resort = False
        column, order = self._sort_column, self._sort_order
        descending = order == Qt.SortOrder.DescendingOrder
        batch: list[list[QStandardItem]] = []  # rows that go after the last one, in order
        last_key = ""
        for uuid, record in take_pending(node, first or ()):
            items = node.rows.get(uuid)
            if items is None:
                items = self._build_row(node, record)
                key = items[column].data(Role.ORDER)
                if (batch and ((key <= last_key) if descending else (key >= last_key))) or (
                    not batch and self._position(node, key) == node.item.rowCount()
                ):
                    batch.append(items)
                else:
                    yield self._append(node, batch)
                    batch = []
                    node.item.insertRow(self._position(node, key), items)
                    self._flush_marks()
                    yield 1
                    continue
                last_key = key
                if len(batch) >= APPEND_BATCH:
                    yield self._append(node, batch)
                    batch = []
                continue
            old = node.applied[uuid]
            self._fill(node, items, record)
            if column in SORT_SENSITIVE and order_key(column, old, None) != order_key(
                column, record, None
            ):
                resort = True
            yield 1
        if batch and not node.removed:
            yield self._append(node, batch)
        if (column, order) != (self._sort_column, self._sort_order):
            node.sorted_by = UNSORTED  # placed by an earlier sort's keys: the new sort redoes all
        if resort and not node.removed:
            yield from self._sort_rows(node)
        self._flush_marks()

    def _append(self, node: ConnNode, rows: list[list[QStandardItem]]) -> int:
        """Rows after the last one, announced as one layout change: one
        rowsInserted per row would reach every listener row by row."""
        self._built += len(rows)
        if self._built >= FREEZE_EVERY:
            self._built = 0
            gc.freeze()
        if rows:
            self.rowsAppending.emit(node.item)
        if len(rows) == 1:
            node.item.appendRow(rows[0])
        elif rows:
            self.layoutAboutToBeChanged.emit()
            blocked = self.blockSignals(True)
            try:
                for items in rows:
                    node.item.appendRow(items)
            finally:
                self.blockSignals(blocked)
            self.layoutChanged.emit()
        self._flush_marks()  # new rows the search does not show
        return len(rows)

    def _proto(self, column: int, value: Any) -> QStandardItem:
        """A prototype item for a column's value: cloning it sets all its data at once."""
        key = (column, value)
        proto = self._proto_cache.get(key)
        if proto is None:
            if len(self._proto_cache) > 4096:  # many distinct memory sizes: start over
                self._proto_cache.clear()
            proto = self._protos[column].clone()
            set_value(proto, column, value)
            self._proto_cache[key] = proto
        return proto

    def _set_name(self, item: QStandardItem, rec: DomainRecord, tags: tuple[str, ...] = ()) -> None:
        item.setData(shown(rec.name), DISPLAY)
        item.setData(rec.name, Role.SORT)
        item.setData(name_tip(rec, tags), TOOLTIP)
        item.setData(order_key(Column.NAME, rec, None), Role.ORDER)

    def set_column_wanted(self, column: int, on: bool) -> None:
        """An optional column was shown or hidden: fetch its figures only while shown."""
        if column == Column.ADDRESS:
            self.addresses.set_enabled(on)
        elif column in USAGE:
            self._usage_cells = self._usage_cells or on
            self.usage.set_shown(column, on)

    def itemFromIndex(self, index: Index) -> QStandardItem:
        """A domain's usage cell is made here when asked for (the groups model
        clones every cell), not as Qt's default item, which lacks the row's flags."""
        parent = index.parent()
        if (
            index.isValid()
            and index.column() in USAGE
            and parent.isValid()
            and not parent.parent().isValid()
        ):
            node = self._nodes[parent.row()]
            items = node.rows.get(str(self.index(index.row(), 0, parent).data(Role.UUID)))
            if items is not None:
                return self._cell(node, items, index.column())
        return super().itemFromIndex(index)

    def _cell(self, node: ConnNode, items: list[QStandardItem], column: int) -> QStandardItem:
        """A row's item in ``column``; the usage cells are made on first use.

        Rows are built without them while no usage column is shown or
        sorted by (three items fewer per row: 20 MB for 10,000 rows).
        A cell made empty says nothing: a dataChanged per made cell reached
        every listener (the groups model cloning 10,000 rows queued 30,000
        copies of empty cells, and grouping took 24 s instead of one)."""
        if column < len(items):
            return items[column]
        name = items[Column.NAME]
        parent = name.parent()
        with Quiet(self):
            for missing in range(len(items), NCOLS):
                item = self._protos[missing].clone()
                if node.stale:
                    item.setData(stale_brush(), FOREGROUND)
                if parent is not None:  # else the row is appended with it later
                    parent.setChild(name.row(), missing, item)
                items.append(item)
        return items[column]

    def _fill(self, node: ConnNode, items: list[QStandardItem], rec: DomainRecord) -> None:
        """Write a changed record into its row's items (only what differs), then
        say so once for the row: one dataChanged per item written would call
        every listener (the window's among them) several times per row."""
        blocked = self.blockSignals(True)
        try:
            self._write(node, items, rec)
        finally:
            self.blockSignals(blocked)
        name = items[Column.NAME]
        parent = name.parent()
        if parent is not None:
            row = name.row()
            self.dataChanged.emit(
                parent.child(row, 0).index(), self.index(row, NCOLS - 1, parent.index())
            )

    def _write(self, node: ConnNode, items: list[QStandardItem], rec: DomainRecord) -> None:
        old = node.applied[rec.uuid]
        node.applied[rec.uuid] = rec
        if old.name != rec.name:
            node.words.pop(rec.uuid, None)
            self._set_name(items[Column.NAME], rec, self.facts.tags(node.conn, rec.uuid))
        for column, before, after in (
            (Column.STATE, old.state, rec.state),
            (Column.VCPUS, old.vcpus, rec.vcpus),
            (Column.MEMORY, old.memory_kib, rec.memory_kib),
        ):
            if before != after:
                set_value(items[column], column, after)
        if old != rec:
            self._set_order(node, items, rec)
        if self._matcher is not None:
            self._match_rows(node, [rec.uuid])

    def _build_row(self, node: ConnNode, rec: DomainRecord) -> list[QStandardItem]:
        protos = self._protos
        items = [
            protos[Column.NAME].clone(),
            self._proto(Column.STATE, rec.state).clone(),
            self._proto(Column.VCPUS, rec.vcpus).clone(),
            self._proto(Column.MEMORY, rec.memory_kib).clone(),
            protos[Column.CPU].clone(),
            protos[Column.ADDRESS].clone(),
            *(protos[column].clone() for column in USAGE if self._usage_cells),
        ]
        name = items[Column.NAME]
        name.setData(rec.uuid, Role.UUID)
        self._set_name(name, rec)
        cpu = node.conn.cpu.get(rec.uuid)
        if cpu is not None:
            text = f"{cpu:.0f} %"
            node.cpu_shown[rec.uuid] = round(cpu)
            items[Column.CPU].setData(text, DISPLAY)
            items[Column.CPU].setData(cpu, Role.SORT)
        if self.addresses.enabled:
            self._set_extra(node, items[Column.ADDRESS], rec.uuid, Column.ADDRESS)
        if self.usage.enabled:
            for column in USAGE:
                self._set_extra(node, self._cell(node, items, column), rec.uuid, column)
        node.unmatched.discard(rec.uuid)  # built matching (a row of that uuid may have gone)
        if self._matcher is not None and not self._matcher(node.conn, rec):
            name.setData(match_text(False), Role.MATCH)
            node.unmatched.add(rec.uuid)
            self._marked.append((node, rec.uuid))  # hidden once it is in the tree
        if node.stale:
            brush = stale_brush()
            for item in items:
                item.setData(brush, FOREGROUND)
        node.applied[rec.uuid] = rec
        self._set_order(node, items, rec)
        node.rows[rec.uuid] = items
        return items

    def _domain_removed(self, node: ConnNode, uuid: str) -> None:
        node.pending.pop(uuid, None)
        items = node.rows.pop(uuid, None)
        node.applied.pop(uuid, None)
        node.cpu_shown.pop(uuid, None)
        node.unmatched.discard(uuid)
        node.words.pop(uuid, None)
        if items is not None and not node.removed:
            node.item.removeRow(items[0].row())

    # -- columns fed by ticks -------------------------------------------------

    def _stats_changed(self, node: ConnNode, cpu: object = None) -> None:
        # No figure now and none shown (a host whose driver reports none):
        # nothing to compare, no job.
        figures = cpu if isinstance(cpu, dict) else node.conn.cpu
        if not node.removed and node.rows and (figures or node.cpu_shown):
            changed = cpu.changed if isinstance(cpu, CpuFigures) else None
            self.slicer.add(self._apply_cpu(node, changed))

    def _apply_cpu(
        self, node: ConnNode, changed: dict[str, float | None] | None = None
    ) -> Iterator[int | None]:
        """Quietly, only the figures that changed, then one dataChanged per run
        of changed rows: an idle fleet whose figures stay put repaints nothing.

        The worker said which whole percentages changed (``changed``); only
        without that (the first tick since connecting) are all compared here."""
        shown, rows = node.cpu_shown, node.rows
        if changed is None:
            changed = {}
            yield from self._compare_cpu(node, changed)
        todo = list(changed)
        written: list[str] = []  # uuids: a row may leave before the job ends
        quiet = Quiet(self)
        by_cpu = self._sort_column == Column.CPU
        for start in range(0, len(todo), CELLS_PER_STEP):
            if node.removed:
                return
            with quiet:  # a step of rows at once: no signal state flipped per row
                for uuid in todo[start : start + CELLS_PER_STEP]:
                    items = rows.get(uuid)
                    cpu = changed[uuid]
                    whole = None if cpu is None else round(cpu)
                    if items is None or shown.get(uuid) == whole:
                        continue  # gone, or built meanwhile with this figure
                    shown[uuid] = whole
                    item = items[Column.CPU]
                    item.setData("" if cpu is None else f"{cpu:.0f} %", DISPLAY)
                    item.setData(-1.0 if cpu is None else cpu, Role.SORT)
                    if by_cpu:
                        item.setData(order_key(Column.CPU, node.applied[uuid], cpu), Role.ORDER)
                    written.append(uuid)
            yield min(CELLS_PER_STEP, len(todo) - start)
        if written and not node.removed:
            self._cells_changed(node, Column.CPU, written)
        if written and self._sort_column == Column.CPU:
            yield from self._sort_rows(node)
        if written and self._matcher_reads("cpu"):  # not for a search that does not ask
            yield from self._apply_matcher(node)

    def _compare_cpu(
        self, node: ConnNode, changed: dict[str, float | None]
    ) -> Iterator[int | None]:
        """Into ``changed``, the rows whose whole percentage differs from the
        one shown (None: shown, no longer measured), a step of rows at a
        time: 10,000 compared in one piece took 4 ms of a pass."""
        cpu_of, shown, rows = node.conn.cpu, node.cpu_shown, node.rows
        figures = list(cpu_of.items())
        for start in range(0, len(figures), COMPARE_PER_STEP):
            for uuid, cpu in figures[start : start + COMPARE_PER_STEP]:
                if uuid in rows and shown.get(uuid) != round(cpu):
                    changed[uuid] = cpu
            yield COMPARE_PER_STEP // 8
        dropped = [u for u, p in shown.items() if p is not None and u not in cpu_of]
        changed.update((u, None) for u in dropped)
        yield len(dropped) // 8 or None

    def _facts_changed(self, conn: Connection, uuids: list[str]) -> None:
        node = self._node_of(conn)
        if node is not None:
            self.slicer.add(self._apply_facts(node, uuids))

    def _apply_facts(self, node: ConnNode, uuids: list[str]) -> Iterator[int]:
        """New tags: the name's tooltip shows them (written quietly, said
        once per step: a dataChanged per row reached the window's slot
        10,000 times as the search first read the tags), and the search sees
        them (the step's rows matched at once)."""
        for start in range(0, len(uuids), FACTS_PER_STEP):
            if node.removed:
                return
            step = [u for u in uuids[start : start + FACTS_PER_STEP] if u in node.rows]
            for uuid in step:
                node.words.pop(uuid, None)
            written = []
            with Quiet(self):
                for uuid in step:
                    name = node.rows[uuid][Column.NAME]
                    tip = name_tip(node.applied[uuid], self.facts.tags(node.conn, uuid))
                    if name.data(TOOLTIP) != tip:
                        name.setData(tip, TOOLTIP)
                        written.append(uuid)
            if written:
                self._cells_changed(node, Column.NAME, written)
            if self._matcher is not None:
                self._match_rows(node, step)
            yield len(step) or 1
        self._flush_marks()

    def _addresses_changed(self, conn: Connection) -> None:
        node = self._node_of(conn)
        if node is not None and node.rows:
            self.slicer.add(self._apply_extra(node, (Column.ADDRESS,)))

    def _cells_changed(self, node: ConnNode, column: int, uuids: list[str]) -> None:
        self.cellsChanged.emit(node.conn, column, uuids)
        self.cells_said = True
        try:
            self._say_cells(node, column, uuids)
        finally:
            self.cells_said = False

    def _say_cells(self, node: ConnNode, column: int, uuids: list[str]) -> None:
        """dataChanged for each run of consecutive rows of ``uuids`` in one column
        (or, when they are scattered, one from the first to the last; when
        they are many, one over the whole column)."""
        parent = node.item
        if len(uuids) > SPAN_ALL and parent.rowCount():
            bottom = parent.child(parent.rowCount() - 1, column)
            self.dataChanged.emit(parent.child(0, column).index(), bottom.index())
            return
        rows = sorted(node.rows[u][column].row() for u in uuids if u in node.rows)
        if not rows:
            return
        if len(rows) > MAX_RUNS and rows[-1] - rows[0] + 1 != len(rows):
            runs = 1 + sum(1 for a, b in itertools.pairwise(rows) if b != a + 1)
            if runs > MAX_RUNS:  # each signal reaches every listener in Python
                first, last = parent.child(rows[0], column), parent.child(rows[-1], column)
                self.dataChanged.emit(first.index(), last.index())
                return
        start = prev = -2
        for row in [*rows, -2]:
            if row == prev + 1:
                prev = row
                continue
            if start >= 0:
                self.dataChanged.emit(
                    parent.child(start, column).index(), parent.child(prev, column).index()
                )
            start = prev = row

    def _usage_changed(self, conn: Connection) -> None:
        node = self._node_of(conn)
        if node is not None and node.rows:
            self.slicer.add(self._apply_extra(node, USAGE))

    def _set_extra(self, node: ConnNode, item: QStandardItem, uuid: str, column: int) -> bool:
        """An address or usage cell's text, tooltip and sort value; True when it changed."""
        value: str | float
        if column == Column.ADDRESS:
            text = self.addresses.text(node.conn, uuid)
            tooltip, value = "", text
        else:
            text, tooltip = self.usage.text(node.conn, uuid, column)
            figure = self.usage.value(node.conn, uuid, column)
            value = -1.0 if figure is None else figure
        if item.data(DISPLAY) == text and item.data(Role.SORT) == value:
            return False
        item.setData(text, DISPLAY)
        item.setData(messages.plain_tooltip(tooltip) if tooltip else None, TOOLTIP)
        item.setData(value, Role.SORT)
        if self._sort_column == column:
            item.setData(
                order_key(column, node.applied[uuid], None if value == -1.0 else value),
                Role.ORDER,
            )
        return True

    def _apply_extra(self, node: ConnNode, columns: tuple[int, ...]) -> Iterator[int | None]:
        """Address or usage cells, quietly; then dataChanged for the rows that changed."""
        quiet = Quiet(self)
        changed: dict[int, list[str]] = {}
        for uuid, items in live_rows(node):
            with quiet:
                written = [
                    c for c in columns if self._set_extra(node, self._cell(node, items, c), uuid, c)
                ]
            for column in written:
                changed.setdefault(column, []).append(uuid)
            if written:
                yield None
        if node.removed:
            return
        for column, uuids in sorted(changed.items()):
            self._cells_changed(node, column, uuids)
        if self._sort_column in changed:
            yield from self._sort_rows(node)
