"""Memory, disk and network use for the list's optional usage columns.

While at least one of the columns (Memory Use, Disk I/O, Network I/O) is
shown, ``UsageBook`` asks every connection's bulk statistics tick for the
counters those columns need (``Connection.watch_usage``: the same single
``getAllDomainStats`` per connection and tick, never a call per domain),
keeps the last minutes of each domain's figures for the sparklines, and
says which connection changed; the tree model writes the figures into its
rows. Hidden columns cost nothing: no counter is asked for, nothing kept.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from kvmdesk.core.connection import Connection
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.messages import tr
from kvmdesk.models.columns import USAGE, Column, format_memory, format_rate
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.stats import Usage

POINTS = 40  # two minutes at the default three-second tick
METRIC = {
    Column.MEMORY_USE: virt_stats.MEMORY,
    Column.DISK_IO: virt_stats.DISK,
    Column.NETWORK_IO: virt_stats.NETWORK,
}
_FLOOR = 1024.0  # bytes/s: a line of an idle guest stays near the bottom


def _figure(column: int, point: Usage) -> float | None:
    """The column's number: KiB in use, or bytes per second both ways."""
    if column == Column.MEMORY_USE:
        return None if point.memory_kib is None else float(point.memory_kib)
    pair = (
        (point.disk_read, point.disk_write)
        if column == Column.DISK_IO
        else (point.net_rx, point.net_tx)
    )
    if pair[0] is None and pair[1] is None:
        return None
    return float((pair[0] or 0.0) + (pair[1] or 0.0))


def _tooltip(column: int, point: Usage) -> str:
    def rate(value: float | None) -> str:
        return format_rate(value) if value is not None else tr("not reported")

    if column == Column.DISK_IO:
        return tr("Read: {0}\nWrite: {1}").format(rate(point.disk_read), rate(point.disk_write))
    if column == Column.NETWORK_IO:
        return tr("In: {0}\nOut: {1}").format(rate(point.net_rx), rate(point.net_tx))
    return ""


class _Domain:
    __slots__ = ("history", "last")

    def __init__(self) -> None:
        self.last: Usage | None = None
        self.history: dict[int, deque[float]] = {c: deque(maxlen=POINTS) for c in USAGE}


class UsageBook(QObject):
    changed = Signal(object)  # the Connection whose figures changed

    def __init__(self, manager: ConnectionManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self.shown: set[int] = set()  # the usage columns shown
        self._domains: dict[int, dict[str, _Domain]] = {}  # id(conn) -> uuid -> figures
        self._slots: dict[int, tuple[Connection, Any]] = {}
        manager.connectionAdded.connect(self._add)
        manager.connectionRemoved.connect(self._remove)

    @property
    def enabled(self) -> bool:
        return bool(self.shown)

    def metrics(self) -> frozenset[str]:
        return frozenset(METRIC[Column(c)] for c in self.shown)

    def set_shown(self, column: int, on: bool) -> None:
        """A usage column was shown or hidden: sample what the shown ones need, or stop."""
        if column not in USAGE or (column in self.shown) == on:
            return
        was = self.enabled
        if on:
            self.shown.add(column)
        else:
            self.shown.discard(column)
        if self.enabled and not was:
            for conn in self._manager.connections:
                self._add(conn)
        elif not self.enabled and was:
            for conn in [c for c, _slot in self._slots.values()]:
                self._remove(conn)
        else:
            for conn, _slot in self._slots.values():
                conn.watch_usage(self, True, self.metrics())
        for conn in self._manager.connections:
            self.changed.emit(conn)

    # -- what the model and the sparklines read ------------------------------

    def _of(self, conn: object, uuid: str) -> _Domain | None:
        return self._domains.get(id(conn), {}).get(uuid)

    def value(self, conn: object, uuid: str, column: int) -> float | None:
        found = self._of(conn, uuid)
        if found is None or found.last is None or column not in self.shown:
            return None
        return _figure(column, found.last)

    def text(self, conn: object, uuid: str, column: int) -> tuple[str, str]:
        """The cell's text and tooltip ("" while nothing was measured)."""
        value = self.value(conn, uuid, column)
        found = self._of(conn, uuid)
        if value is None or found is None or found.last is None:
            return "", ""
        if column == Column.MEMORY_USE:
            return format_memory(int(value)), ""
        return format_rate(value), _tooltip(column, found.last)

    def history(self, conn: object, uuid: str, column: int, total: float = 0.0) -> list[float]:
        """The column's last figures as fractions of ``total`` (memory) or of
        the highest rate shown (at least 1 KiB/s), oldest first."""
        found = self._of(conn, uuid)
        if found is None or column not in self.shown:
            return []
        values = list(found.history[column])
        top = total if column == Column.MEMORY_USE else max([_FLOOR, *values])
        return [min(1.0, v / top) for v in values] if top > 0 else []

    # -- following the connections ------------------------------------------------

    def _add(self, conn: Connection) -> None:
        key = id(conn)
        if not self.enabled or key in self._slots:
            return

        def tick(usage: dict[str, Usage], c: Connection = conn) -> None:
            if shiboken6.isValid(self):
                self._apply(c, usage)

        self._slots[key] = (conn, tick)
        self._domains[key] = {}
        conn.usageUpdated.connect(tick)
        conn.watch_usage(self, True, self.metrics())

    def _remove(self, conn: Connection) -> None:
        found = self._slots.pop(id(conn), None)
        self._domains.pop(id(conn), None)
        if found is not None and shiboken6.isValid(conn):
            conn.usageUpdated.disconnect(found[1])
            conn.watch_usage(self, False)

    def _apply(self, conn: Connection, usage: dict[str, Usage]) -> None:
        domains = self._domains.get(id(conn))
        if domains is None:
            return
        for uuid in [u for u in domains if u not in usage]:
            del domains[uuid]  # stopped: its figures go, as its CPU % does
        for uuid, point in usage.items():
            found = domains.setdefault(uuid, _Domain())
            found.last = point
            for column in self.shown:
                figure = _figure(column, point)
                if figure is not None:
                    found.history[column].append(figure)
        self.changed.emit(conn)
