"""The volumes of one storage pool as a table model.

A pool can hold tens of thousands of volumes. Items of a QTreeWidget are
objects made one by one on the GUI thread; this model keeps the frozen
records in a list and hands the view only the rows it paints. Rows are
added in batches (``extend``), so the window stays responsive while a big
pool fills in, and sorting sorts the list by a plain key.

While there are no rows the model may show a one-row note ("Loading…",
"Start the pool…", a failure) that cannot be selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.ui.host.storage_dialogs import gib_text
from kvmdesk.virt.shown import shown
from kvmdesk.virt.storage import VolumeRecord

Index = QModelIndex | QPersistentModelIndex
NAME, FORMAT, CAPACITY, ALLOCATION, USED_BY = range(5)
KEY_ROLE = Qt.ItemDataRole.UserRole  # the volume's name


def volume_texts(record: VolumeRecord) -> list[str]:
    return [
        record.name,
        record.format,
        gib_text(record.capacity),
        gib_text(record.allocation),
        ", ".join(record.used_by),
    ]


def _sort_key(column: int) -> Any:
    if column == CAPACITY:
        return lambda r: (r.capacity, r.name)
    if column == ALLOCATION:
        return lambda r: (r.allocation, r.name)
    if column == FORMAT:
        return lambda r: (r.format, r.name)
    if column == USED_BY:
        return lambda r: (r.used_by, r.name)
    return lambda r: r.name


class VolumeTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = [tr("Volume"), tr("Format"), tr("Capacity"), tr("Allocation"), tr("Used by")]
        self.records: list[VolumeRecord] = []
        self.note = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- filling ----------------------------------------------------------

    def set_note(self, text: str) -> None:
        """No volumes; one unselectable row with ``text`` (none if empty)."""
        self.beginResetModel()
        self.records = []
        self.note = text
        self.endResetModel()

    def clear(self) -> None:
        self.set_note("")

    def extend(self, records: list[VolumeRecord]) -> None:
        """Append a batch of rows (the caller keeps the batches small)."""
        if not records:
            return
        if self.note:
            self.set_note("")
        first = len(self.records)
        self.beginInsertRows(QModelIndex(), first, first + len(records) - 1)
        self.records.extend(records)
        self.endInsertRows()

    def in_view_order(self, records: list[VolumeRecord]) -> list[VolumeRecord]:
        """``records`` sorted as the view sorts, to be added in batches."""
        if self._sort is None:
            return records
        column, order = self._sort
        return sorted(records, key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def row_of(self, name: str) -> int:
        return next((i for i, r in enumerate(self.records) if r.name == name), -1)

    # -- QAbstractTableModel ----------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self.records) or (1 if self.note else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not self.records:
            return Qt.ItemFlag.ItemNeverHasChildren
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not self.records:
            if row == 0 and column == NAME and role == Qt.ItemDataRole.DisplayRole:
                return self.note
            return None
        if not 0 <= row < len(self.records):
            return None
        record = self.records[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = shown(volume_texts(record)[column])
            if role == Qt.ItemDataRole.ToolTipRole:
                return messages.plain_tooltip(text) if text else None
            return text
        if role == KEY_ROLE:
            return record.name
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (CAPACITY, ALLOCATION):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        if not self.records:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keep = [(self.records[i.row()].name, i.column()) for i in old]
        self.records.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        rows = {r.name: n for n, r in enumerate(self.records)}
        self.changePersistentIndexList(old, [self.index(rows[name], col) for name, col in keep])
        self.layoutChanged.emit()
