"""A domain's CPU, memory, disk and network use over the last minutes.

The numbers come from the connection's bulk statistics tick (one
``getAllDomainStats`` for every domain, ``Connection.usageUpdated``); the
page asks for the extra counters (``Connection.watch_usage``) only while it
is shown, so a hidden tab costs nothing, and draws what arrived since it
was shown. Metrics switched off in Preferences say so instead of a graph.
The graphs take their colours from the palette (``usage_graph``).
"""

from __future__ import annotations

from PySide6.QtCore import QMetaObject, QObject
from PySide6.QtWidgets import QLabel, QWidget

from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.models.columns import format_memory, format_rate
from kvmdesk.ui.common.widgets import Section, dim, fill_page, plain_label, scaled_font
from kvmdesk.ui.host.usage_graph import RateGraph, UsageGraph, graph_row
from kvmdesk.virt import stats as virt_stats
from kvmdesk.virt.records import DomainState
from kvmdesk.virt.shown import shown
from kvmdesk.virt.stats import Usage

_RUNNING = (DomainState.RUNNING, DomainState.BLOCKED, DomainState.PAUSED)


class PerformancePage(QWidget):
    """Graphs of the domain shown in the details pane, while the tab is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label(selectable=False)
        self.title.setFont(scaled_font(self.font(), 1.3))
        self.note = dim(plain_label(selectable=False))
        self.section = Section(tr("Usage"))
        rows: list[tuple[str, str, UsageGraph]] = [
            ("cpu", tr("CPU usage:"), UsageGraph()),
            ("memory_kib", tr("Memory usage:"), UsageGraph()),
            ("disk_read", tr("Disk read:"), RateGraph()),
            ("disk_write", tr("Disk write:"), RateGraph()),
            ("net_rx", tr("Network in:"), RateGraph()),
            ("net_tx", tr("Network out:"), RateGraph()),
        ]
        self.graphs: dict[str, UsageGraph] = {}
        self.values: dict[str, QLabel] = {}
        for field, title, graph in rows:
            self.graphs[field], self.values[field] = graph_row(self.section, title, graph)
        fill_page(self, self.title, [self.note, self.section])
        self._conn: Connection | None = None
        self._uuid: str | None = None
        self._shown = False
        self._links: list[QMetaObject.Connection] = []
        self.samples = 0  # points drawn since the domain was shown
        self._say()

    # -- the details pane's calls ------------------------------------------

    def show_domain(self, conn: Connection, uuid: str) -> None:
        if conn is self._conn and uuid == self._uuid:
            return
        self._stop()
        self._conn, self._uuid = conn, uuid
        self._reset()
        self._sync()

    def clear(self) -> None:
        self._stop()
        self._conn = self._uuid = None
        self._reset()

    def set_shown(self, shown: bool) -> None:
        self._shown = shown
        self._sync()

    @property
    def watching(self) -> bool:
        return bool(self._links)

    # -- following the statistics tick -------------------------------------------

    def _sync(self) -> None:
        """Watch the connection's usage while shown and pointed at a domain."""
        want = self._shown and self._conn is not None and self._uuid is not None
        if want and not self._links:
            conn = self._conn
            assert conn is not None
            conn.watch_usage(self, True)
            self._links = [
                conn.usageUpdated.connect(self._on_usage),
                conn.domainChanged.connect(self._on_domain),
                conn.stateChanged.connect(self._say),
            ]
        elif not want:
            self._stop()
        self._say()

    def _stop(self) -> None:
        for link in self._links:
            QObject.disconnect(link)
        self._links = []
        if self._conn is not None:
            self._conn.watch_usage(self, False)

    def _reset(self) -> None:
        self.samples = 0
        for graph in self.graphs.values():
            graph.clear()
        for label in self.values.values():
            label.setText("")
        self._say()

    def _on_domain(self, record: object) -> None:
        if getattr(record, "uuid", None) == self._uuid:
            self._say()

    def _on_usage(self, usage: dict[str, Usage]) -> None:
        if self._uuid is None or self._conn is None:
            return
        point = usage.get(self._uuid)
        if point is None:
            return
        record = self._conn.domains.get(self._uuid)
        self.samples += 1
        if point.cpu is not None:
            self.graphs["cpu"].add(point.cpu / 100.0)
            self.values["cpu"].setText(tr("{0:.0f} %").format(point.cpu))
        if point.memory_kib is not None:
            total = record.memory_kib if record is not None else 0
            self.graphs["memory_kib"].add(point.memory_kib / total if total else 0.0)
            self.values["memory_kib"].setText(
                tr("{0} of {1}").format(format_memory(point.memory_kib), format_memory(total))
                if total
                else format_memory(point.memory_kib)
            )
        for field in ("disk_read", "disk_write", "net_rx", "net_tx"):
            rate = getattr(point, field)
            if rate is not None:
                self.graphs[field].add(rate)
                self.values[field].setText(format_rate(rate))
        self._say()

    # -- words ---------------------------------------------------------------------

    def _say(self, *_args: object) -> None:
        conn, uuid = self._conn, self._uuid
        record = conn.domains.get(uuid) if conn is not None and uuid is not None else None
        self.title.setText(shown(record.name) if record is not None else "")
        collected = conn.timing.stats_metrics if conn is not None else virt_stats.ALL_METRICS
        metric_of = {
            "cpu": virt_stats.CPU,
            "memory_kib": virt_stats.MEMORY,
            "disk_read": virt_stats.DISK,
            "disk_write": virt_stats.DISK,
            "net_rx": virt_stats.NETWORK,
            "net_tx": virt_stats.NETWORK,
        }
        for field, metric in metric_of.items():
            off = metric not in collected
            self.graphs[field].setEnabled(not off)
            if off:
                self.values[field].setText(tr("Not collected"))
        if conn is None or uuid is None:
            note = ""
        elif not conn.is_connected:
            note = tr("Graphs are drawn while the connection is up.")
        elif record is None or record.state not in _RUNNING:
            note = tr("Graphs are drawn while the virtual machine runs.")
        elif not collected:
            note = tr("Statistics are switched off in Preferences.")
        elif self.samples == 0:
            note = tr("Collecting statistics…")
        else:
            note = tr("Updated every {0:g} s.").format(conn.timing.stats_interval)
        self.note.setText(note)
        self.note.setVisible(bool(note))
