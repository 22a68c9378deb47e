"""Connection -> domain tree, updated row by row from the connection signals.

No model reset after the first fill: a changed domain emits dataChanged
for its own row, a new one is inserted, a vanished one removed, and a stats
tick emits one dataChanged for the CPU column of each connection.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QPalette

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.messages import tr
from kvmdesk.models.addresses import AddressBook
from kvmdesk.models.columns import (
    CONNECTION_FLAGS,
    DOMAIN_FLAGS,
    NCOLS,
    NUMERIC,
    SORT_SENSITIVE,
    Column,
    Role,
    format_memory,
)
from kvmdesk.models.icons import icon, state_icon
from kvmdesk.models.sorting import key_function
from kvmdesk.virt.records import DomainRecord
from kvmdesk.virt.shown import shown

Index = QModelIndex | QPersistentModelIndex
__all__ = ["Column", "DomainTreeModel", "Role", "format_memory"]


class _ConnNode:
    """A connection's row and the order of its domain rows."""

    __slots__ = ("conn", "row_of", "uuids")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.uuids: list[str] = []
        self.row_of: dict[str, int] = {}

    def reindex(self, start: int = 0) -> None:
        uuids = self.uuids
        self.row_of.update(zip(uuids[start:], range(start, len(uuids)), strict=True))


_CONN_ICONS = {
    ConnState.CONNECTED: "conn-connected",
    ConnState.CONNECTING: "conn-connecting",
    ConnState.WAITING: "conn-connecting",
    ConnState.DISCONNECTED: "conn-disconnected",
}


class DomainTreeModel(QAbstractItemModel):
    def __init__(self, manager: ConnectionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[_ConnNode] = []
        self._manager = manager
        self._sort_column = int(Column.NAME)
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._headers = [
            tr("Name"),
            tr("State"),
            tr("vCPUs"),
            tr("Memory"),
            tr("CPU %"),
            tr("IP Address"),
        ]
        self.addresses = AddressBook(manager, self)  # the optional IP Address column
        self.addresses.changed.connect(self._addresses_changed)
        manager.connectionAdded.connect(self._add_connection)
        manager.connectionRemoved.connect(self._remove_connection)
        for conn in manager.connections:
            self._add_connection(conn)
        # Rows that count down to a reconnect are repainted once a second.
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick_waiting)
        self._ticker.start()

    # -- structure --------------------------------------------------------

    def _node_row(self, node: _ConnNode) -> int:
        return self._nodes.index(node)

    def _node_of(self, conn: Connection) -> _ConnNode | None:
        return next((n for n in self._nodes if n.conn is conn), None)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Bounds are checked here rather than with hasIndex(): views and
        # proxies call this for every row, and each hasIndex is two more
        # calls into Python.
        if row < 0 or not 0 <= column < NCOLS:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._nodes):
                return QModelIndex()
            return self.createIndex(row, column, None)
        if parent.internalPointer() is not None or parent.column() != 0:
            return QModelIndex()
        node = self._nodes[parent.row()]
        if row >= len(node.uuids):
            return QModelIndex()
        return self.createIndex(row, column, node)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid():
            return QModelIndex()
        node = child.internalPointer()
        if node is None:
            return QModelIndex()
        return self.createIndex(self._node_row(node), 0, None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._nodes)
        if parent.internalPointer() is not None or parent.column() != 0:
            return 0
        return len(self._nodes[parent.row()].uuids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return NCOLS

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Called twice per row on every layout: constants, no enum arithmetic.
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return CONNECTION_FLAGS if index.internalPointer() is None else DOMAIN_FLAGS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- lookups for the views --------------------------------------------

    def connection_at(self, index: Index) -> Connection | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        if node is None:
            return self._nodes[index.row()].conn
        return node.conn  # type: ignore[no-any-return]

    def record_at(self, index: Index) -> DomainRecord | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        if node is None or index.row() >= len(node.uuids):
            return None
        return node.conn.domains.get(node.uuids[index.row()])  # type: ignore[no-any-return]

    def index_of_connection(self, conn: Connection) -> QModelIndex:
        node = self._node_of(conn)
        return QModelIndex() if node is None else self.index(self._node_row(node), 0)

    def index_of_domain(self, conn: Connection, uuid: str, column: int = 0) -> QModelIndex:
        node = self._node_of(conn)
        if node is None or uuid not in node.row_of:
            return QModelIndex()
        return self.createIndex(node.row_of[uuid], column, node)

    # -- data -------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = index.internalPointer()
        if node is None:
            return self._connection_data(self._nodes[index.row()].conn, index.column(), role)
        record = node.conn.domains.get(node.uuids[index.row()])
        if record is None:
            return None
        return self._domain_data(node.conn, record, index.column(), role)

    def _connection_data(self, conn: Connection, column: int, role: int) -> Any:
        if role == Role.KIND:
            return "connection"
        if role == Role.CONNECTION:
            return conn
        if column == Column.NAME:
            if role in (Qt.ItemDataRole.DisplayRole, Role.SORT):
                return messages.connection_label(conn)
            if role == Qt.ItemDataRole.DecorationRole:
                if conn.state is ConnState.DISCONNECTED and conn.failure is not None:
                    return icon("conn-error")
                return icon(_CONN_ICONS[conn.state])
            if role == Qt.ItemDataRole.ToolTipRole:
                return messages.plain_tooltip(conn.uri)
        if column == Column.STATE:
            if role in (Qt.ItemDataRole.DisplayRole, Role.SORT):
                return messages.connection_state_text(conn)
            if role == Qt.ItemDataRole.ToolTipRole:
                return messages.plain_tooltip(messages.connection_state_tooltip(conn))
        return None

    def _domain_data(self, conn: Connection, rec: DomainRecord, column: int, role: int) -> Any:
        if role == Role.KIND:
            return "domain"
        if role == Role.UUID:
            return rec.uuid
        if role == Role.CONNECTION:
            return conn
        if role == Role.RECORD:
            return rec
        if role == Qt.ItemDataRole.ForegroundRole and not conn.is_connected:
            return QGuiApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == Column.NAME:
            if role == Qt.ItemDataRole.DisplayRole:
                return shown(rec.name)
            if role == Role.SORT:
                return rec.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return messages.plain_tooltip(shown(rec.name))
        elif column == Column.STATE:
            if role == Qt.ItemDataRole.DisplayRole:
                return messages.state_label(rec.state)
            if role == Qt.ItemDataRole.DecorationRole:
                return state_icon(rec.state)
            if role == Role.SORT:
                return int(rec.state)
        elif column == Column.VCPUS:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(rec.vcpus) if rec.vcpus else ""  # 0: not reported in bulk
            if role == Role.SORT:
                return rec.vcpus
        elif column == Column.MEMORY:
            if role == Qt.ItemDataRole.DisplayRole:
                return format_memory(rec.memory_kib) if rec.memory_kib else ""
            if role == Role.SORT:
                return rec.memory_kib
        elif column == Column.CPU:
            cpu = conn.cpu.get(rec.uuid)
            if role == Qt.ItemDataRole.DisplayRole:
                return "" if cpu is None else f"{cpu:.0f} %"
            if role == Role.SORT:
                return -1.0 if cpu is None else cpu
        elif column == Column.ADDRESS and role in (Qt.ItemDataRole.DisplayRole, Role.SORT):
            return self.addresses.text(conn, rec.uuid)
        return None

    def _addresses_changed(self, conn: Connection) -> None:
        node = self._node_of(conn)
        if node is not None and node.uuids:
            last = len(node.uuids) - 1
            column = Column.ADDRESS
            self.dataChanged.emit(
                self.createIndex(0, column, node), self.createIndex(last, column, node)
            )

    # -- sorting ----------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < NCOLS:
            return
        self._sort_column, self._sort_order = column, order
        for node in self._nodes:
            self._resort(node)

    def _key(self, node: _ConnNode) -> Callable[[str], Any]:
        record_key = key_function(self._sort_column, self._sort_order, node.conn.cpu.get)
        domains = node.conn.domains
        return lambda uuid: record_key(domains[uuid])

    def _resort(self, node: _ConnNode) -> None:
        """Put one connection's rows in order with a single layout change."""
        if len(node.uuids) < 2:
            return
        new_order = sorted(node.uuids, key=self._key(node))
        if new_order == node.uuids:
            return
        self.layoutAboutToBeChanged.emit()
        old_uuids = node.uuids
        node.uuids = new_order
        node.reindex()
        moved_from, moved_to = [], []
        for old in self.persistentIndexList():
            if old.internalPointer() is node and old.row() < len(old_uuids):
                new_row = node.row_of[old_uuids[old.row()]]
                moved_from.append(old)
                moved_to.append(self.createIndex(new_row, old.column(), node))
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _insert_position(self, node: _ConnNode, uuid: str) -> int:
        key = self._key(node)
        return bisect.bisect_left(node.uuids, key(uuid), key=key)

    def _reposition(self, node: _ConnNode, uuid: str) -> None:
        """Move a changed row if its sort key no longer fits between its neighbours."""
        uuids = node.uuids
        row = node.row_of[uuid]
        key = self._key(node)
        mine = key(uuid)
        fits_left = row == 0 or key(uuids[row - 1]) <= mine
        fits_right = row == len(uuids) - 1 or mine <= key(uuids[row + 1])
        if fits_left and fits_right:
            return
        rest = uuids[:row] + uuids[row + 1 :]
        new_row = bisect.bisect_left(rest, mine, key=key)
        parent = self.index(self._node_row(node), 0)
        # beginMoveRows counts the destination in the numbering before the move.
        dest = new_row if new_row < row else new_row + 1
        if not self.beginMoveRows(parent, row, row, parent, dest):
            return
        rest.insert(new_row, uuid)
        node.uuids = rest
        node.reindex(min(row, new_row))
        self.endMoveRows()

    # -- connection signals -----------------------------------------------

    def _add_connection(self, conn: Connection) -> None:
        row = len(self._nodes)
        self.beginInsertRows(QModelIndex(), row, row)
        node = _ConnNode(conn)
        self._nodes.append(node)
        self.endInsertRows()
        conn.stateChanged.connect(lambda n=node: self._conn_changed(n))
        conn.domainsReset.connect(lambda n=node: self._sync_all(n))
        conn.domainChanged.connect(lambda rec, n=node: self._domain_changed(n, rec))
        conn.domainRemoved.connect(lambda uuid, n=node: self._domain_removed(n, uuid))
        conn.statsUpdated.connect(lambda _cpu, n=node: self._stats_changed(n))
        if conn.domains:
            self._sync_all(node)

    def _remove_connection(self, conn: Connection) -> None:
        node = self._node_of(conn)
        if node is None:
            return
        for signal in (
            conn.stateChanged,
            conn.domainsReset,
            conn.domainChanged,
            conn.domainRemoved,
            conn.statsUpdated,
        ):
            signal.disconnect()
        row = self._node_row(node)
        self.beginRemoveRows(QModelIndex(), row, row)
        self._nodes.pop(row)
        self.endRemoveRows()

    def _conn_changed(self, node: _ConnNode) -> None:
        if node not in self._nodes:
            return
        row = self._node_row(node)
        self.dataChanged.emit(self.index(row, 0), self.index(row, NCOLS - 1))
        if node.uuids:
            # While the link is down the rows stay (so do selection and
            # expansion) but are drawn as stale; the reconnect refreshes them.
            last = len(node.uuids) - 1
            self.dataChanged.emit(
                self.createIndex(0, 0, node), self.createIndex(last, NCOLS - 1, node)
            )

    def _sync_all(self, node: _ConnNode) -> None:
        """Bring the rows in line with ``conn.domains`` after a full listing."""
        domains = node.conn.domains
        for uuid in [u for u in node.uuids if u not in domains]:
            self._domain_removed(node, uuid)
        if node.uuids:  # one signal for every row kept, not one per row
            last = len(node.uuids) - 1
            self.dataChanged.emit(
                self.createIndex(0, 0, node), self.createIndex(last, NCOLS - 1, node)
            )
        new = [uuid for uuid in domains if uuid not in node.row_of]
        if new:
            parent = self.index(self._node_row(node), 0)
            first = len(node.uuids)
            if not first:  # sort the records themselves: one key call less per row
                record_key = key_function(self._sort_column, self._sort_order, node.conn.cpu.get)
                new = [r.uuid for r in sorted((domains[u] for u in new), key=record_key)]
            self.beginInsertRows(parent, first, first + len(new) - 1)
            node.uuids.extend(new)
            node.reindex(first)
            self.endInsertRows()
            if not first:
                return  # sorted before insertion
        self._resort(node)

    def _emit_row(self, node: _ConnNode, uuid: str) -> None:
        row = node.row_of[uuid]
        self.dataChanged.emit(
            self.createIndex(row, 0, node), self.createIndex(row, NCOLS - 1, node)
        )

    def _domain_changed(self, node: _ConnNode, record: DomainRecord) -> None:
        if node not in self._nodes:
            return
        if record.uuid in node.row_of:
            self._emit_row(node, record.uuid)
            if self._sort_column in SORT_SENSITIVE:
                self._reposition(node, record.uuid)
            return
        parent = self.index(self._node_row(node), 0)
        row = self._insert_position(node, record.uuid)
        self.beginInsertRows(parent, row, row)
        node.uuids.insert(row, record.uuid)
        node.reindex(row)
        self.endInsertRows()

    def _domain_removed(self, node: _ConnNode, uuid: str) -> None:
        if node not in self._nodes or uuid not in node.row_of:
            return
        row = node.row_of[uuid]
        parent = self.index(self._node_row(node), 0)
        self.beginRemoveRows(parent, row, row)
        node.uuids.pop(row)
        del node.row_of[uuid]
        node.reindex(row)
        self.endRemoveRows()

    def _stats_changed(self, node: _ConnNode) -> None:
        if node not in self._nodes or not node.uuids:
            return
        last = len(node.uuids) - 1
        self.dataChanged.emit(
            self.createIndex(0, Column.CPU, node), self.createIndex(last, Column.CPU, node)
        )
        if self._sort_column == Column.CPU:
            self._resort(node)

    def _tick_waiting(self) -> None:
        for node in self._nodes:
            if node.conn.state is ConnState.WAITING:
                row = self._node_row(node)
                self.dataChanged.emit(self.index(row, Column.STATE), self.index(row, Column.STATE))
