"""A CPU history behind the list's CPU % figure (Preferences: "sparklines").

``CpuHistory`` keeps the last minutes of every domain's CPU use from the
connections' bulk statistics tick (``Connection.statsUpdated``: the numbers
the column shows anyway, no call of its own), and only while it is on.
``SparklineDelegate`` draws it under the figure as a thin line in the
palette's highlight colour, so it reads in a dark theme too; the usage
columns (``models.usage``) draw theirs the same way
(``UsageSparklineDelegate``).
"""

from __future__ import annotations

from collections import deque

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.models.columns import Column, Role
from kvmdesk.models.tree import DomainTreeModel

POINTS = 40  # two minutes at the default three-second tick


class CpuHistory(QObject):
    def __init__(self, manager: ConnectionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._history: dict[tuple[int, str], deque[float]] = {}
        self._watched: list[Connection] = []
        self.on = False

    def set_on(self, on: bool) -> None:
        """Collect (from now) or stop and forget."""
        if on == self.on:
            return
        self.on = on
        if on:
            self._manager.connectionAdded.connect(self._watch)
            for conn in self._manager.connections:
                self._watch(conn)
        else:
            self._manager.connectionAdded.disconnect(self._watch)
            for conn in self._watched:
                if shiboken6.isValid(conn):
                    conn.statsUpdated.disconnect(self._add)
            self._watched = []
            self._history.clear()

    def _watch(self, conn: Connection) -> None:
        self._watched.append(conn)
        conn.statsUpdated.connect(self._add)

    def _add(self, cpu: dict[str, float]) -> None:
        conn = self.sender()
        for uuid, percent in cpu.items():
            line = self._history.setdefault((id(conn), uuid), deque(maxlen=POINTS))
            line.append(percent)

    def of(self, conn: object, uuid: str) -> list[float]:
        return list(self._history.get((id(conn), uuid), ()))


class _LineDelegate(QStyledItemDelegate):
    """Draws a row's recent figures (fractions 0-1, oldest first) under its text."""

    def fractions(self, conn: object, uuid: str) -> list[float]:
        raise NotImplementedError

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # The row's name cell holds its UUID, the connection's row above holds the connection.
        uuid = index.sibling(index.row(), 0).data(Role.UUID)
        values = self.fractions(index.parent().data(Role.CONNECTION), str(uuid or ""))
        if len(values) >= 2:
            rect = option.rect.adjusted(2, 3, -2, -3)
            step = rect.width() / (POINTS - 1)
            right = rect.right()
            points = [
                QPointF(
                    right - (len(values) - 1 - i) * step,
                    rect.bottom() - min(1.0, max(0.0, v)) * rect.height(),
                )
                for i, v in enumerate(values)
            ]
            color = QColor(option.palette.color(QPalette.ColorRole.Highlight))
            color.setAlpha(150)
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(color, 1.2))
            painter.drawPolyline(QPolygonF(points))
            painter.restore()
        super().paint(painter, option, index)


class SparklineDelegate(_LineDelegate):
    """The CPU column's history (Preferences: "sparklines")."""

    def __init__(self, history: CpuHistory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history

    def fractions(self, conn: object, uuid: str) -> list[float]:
        return [v / 100.0 for v in self.history.of(conn, uuid)]


class UsageSparklineDelegate(_LineDelegate):
    """A usage column's history (``models.usage``): memory as a share of the
    VM's memory, rates against the highest one drawn."""

    def __init__(self, model: DomainTreeModel, column: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.usage = model.usage
        self.column = column

    def fractions(self, conn: object, uuid: str) -> list[float]:
        record = conn.domains.get(uuid) if isinstance(conn, Connection) else None
        total = float(record.memory_kib) if record is not None else 0.0
        return self.usage.history(conn, uuid, self.column, total)


def show_sparklines(tree: QTreeView, history: CpuHistory, on: bool) -> None:
    """Draw the CPU history in the list's CPU column, or stop and forget it."""
    history.set_on(on)
    current = tree.itemDelegateForColumn(Column.CPU)
    if on and not isinstance(current, SparklineDelegate):
        tree.setItemDelegateForColumn(Column.CPU, SparklineDelegate(history, tree))
    elif not on and isinstance(current, SparklineDelegate):
        tree.setItemDelegateForColumn(Column.CPU, None)  # type: ignore[arg-type]
        current.deleteLater()
    tree.viewport().update()
