"""The overview of one connection: its URI and state, what went wrong, and
the hypervisor and host behind it while connected, with live CPU and
memory usage graphs.

The usage is sampled on the connection's worker every ``USAGE_INTERVAL``
seconds, only while the page is shown and the connection is up.
"""

from __future__ import annotations

import asyncio
import logging

import shiboken6
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.core.messages import tr
from kvmdesk.models.tree import format_memory
from kvmdesk.ui.common.message_page import ProblemText
from kvmdesk.ui.common.widgets import Section, dim, fill_page, let_shrink, plain_label, scaled_font
from kvmdesk.ui.host.usage_graph import graph_row
from kvmdesk.virt.host import cpu_fraction, fetch_usage
from kvmdesk.virt.records import HostRecord, HostUsageSample
from kvmdesk.virt.shown import shown

log = logging.getLogger(__name__)

USAGE_INTERVAL = 2.0  # seconds between two samples of the host's usage


class ConnectionOverview(QWidget):
    """What a connection is, whether it works and what host is behind it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = plain_label()
        self.label.setFont(scaled_font(self.font(), 1.45))
        let_shrink(self.label)

        self.connection = Section(tr("Connection"))
        self.uri = self.connection.add_row(tr("URI:"))
        self.state = self.connection.add_row(tr("State:"))

        self.problem = Section(tr("Problem"))
        self.problem_text = ProblemText(self.font())
        (
            self.problem_summary,
            self.problem_hint,
            self.problem_details_heading,
            self.problem_details,
        ) = self.problem_text.labels()
        for label in self.problem_text.labels():
            self.problem.add_widget(label)

        self.hypervisor_section = Section(tr("Hypervisor"))
        self.hypervisor = self.hypervisor_section.add_row(tr("Hypervisor:"))
        self.libvirt_version = self.hypervisor_section.add_row(tr("libvirt version:"))

        self.host_section = Section(tr("Host"))
        self.hostname = self.host_section.add_row(tr("Host name:"))
        self.cpu_model = self.host_section.add_row(tr("CPU model:"))
        self.arch = self.host_section.add_row(tr("Architecture:"))
        self.cpus = self.host_section.add_row(tr("CPUs:"))
        self.sockets = self.host_section.add_row(tr("Sockets per NUMA cell:"))
        self.cores = self.host_section.add_row(tr("Cores per socket:"))
        self.threads = self.host_section.add_row(tr("Threads per core:"))
        self.mhz = self.host_section.add_row(tr("Frequency:"))
        self.numa = self.host_section.add_row(tr("NUMA cells:"))
        self.memory = self.host_section.add_row(tr("Memory:"))
        self.free_memory = self.host_section.add_row(tr("Free memory:"))

        self.usage_section = Section(tr("Usage"))
        self.cpu_graph, self.cpu_usage = graph_row(self.usage_section, tr("CPU usage:"))
        self.memory_graph, self.memory_usage = graph_row(self.usage_section, tr("Memory usage:"))
        self.usage_note = dim(plain_label(selectable=False))
        self.usage_section.add_widget(self.usage_note)
        self.usage_note.hide()

        self.no_host = dim(
            plain_label(tr("Host details are shown while connected."), selectable=False)
        )

        parts = [
            self.connection,
            self.problem,
            self.usage_section,
            self.hypervisor_section,
            self.host_section,
        ]
        fill_page(self, self.label, [*parts, self.no_host])
        self.conn: Connection | None = None
        self.usage_interval = USAGE_INTERVAL
        self.samples = 0  # usage samples shown since the page was shown
        self._usage_task: asyncio.Future[None] | None = None

    def set_connection(self, conn: Connection) -> None:
        if conn is not self.conn:
            self.stop_usage()
            self.cpu_graph.clear()
            self.memory_graph.clear()
        self.conn = conn
        self.label.setText(messages.connection_label(conn))
        self.label.setToolTip(messages.plain_tooltip(conn.uri))
        self.connection.set_row(self.uri, conn.uri)
        self.update_state(conn)

        failure = conn.failure
        self.problem.setVisible(failure is not None)
        if failure is not None:
            self.problem_text.show_failure(failure)

        host: HostRecord | None = conn.host if conn.is_connected else None
        self.hypervisor_section.setVisible(host is not None)
        self.host_section.setVisible(host is not None)
        self.usage_section.setVisible(host is not None)
        self.no_host.setVisible(host is None)
        if host is None:
            self.stop_usage()
            return
        if self.isVisible():
            self.start_usage()
        section = self.hypervisor_section
        hypervisor = " ".join(p for p in (host.hypervisor, host.hypervisor_version) if p)
        section.set_row(self.hypervisor, hypervisor, hide_empty=True)
        section.set_row(self.libvirt_version, host.libvirt_version, hide_empty=True)
        section = self.host_section
        section.set_row(self.hostname, shown(host.hostname), hide_empty=True)
        section.set_row(self.cpu_model, host.cpu_model, hide_empty=True)
        section.set_row(self.arch, host.arch, hide_empty=True)
        section.set_row(self.cpus, str(host.cpus))
        section.set_row(self.sockets, str(host.sockets))
        section.set_row(self.cores, str(host.cores))
        section.set_row(self.threads, str(host.threads))
        section.set_row(
            self.mhz, tr("{0} MHz").format(host.mhz) if host.mhz else "", hide_empty=True
        )
        section.set_row(self.numa, str(host.numa_nodes))
        section.set_row(self.memory, format_memory(host.memory_kib))
        section.set_row(
            self.free_memory,
            format_memory(host.free_memory_kib) if host.free_memory_kib else "",
            hide_empty=True,
        )

    def update_state(self, conn: Connection) -> None:
        self.connection.set_row(self.state, messages.connection_state_text(conn))

    # -- usage graphs -------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start_usage()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.stop_usage()

    def start_usage(self) -> None:
        """Sample the host's usage while shown (does nothing if already sampling)."""
        conn = self.conn
        if conn is None or not conn.is_connected:
            return
        if self._usage_task is not None and not self._usage_task.done():
            return
        self._usage_task = asyncio.ensure_future(self._sample_usage(conn))

    def stop_usage(self) -> None:
        if self._usage_task is not None:
            self._usage_task.cancel()
            self._usage_task = None

    async def _sample_usage(self, conn: Connection) -> None:
        previous: HostUsageSample | None = None
        while shiboken6.isValid(self) and conn.is_connected and conn is self.conn:
            try:
                sample = await conn.call(fetch_usage)
            except Exception as exc:  # libvirtError, NotConnectedError
                log.debug("host usage of %s failed: %s", conn.uri, exc)
                return
            if not shiboken6.isValid(self) or conn is not self.conn:
                return
            self.show_usage(previous, sample)
            previous = sample
            await asyncio.sleep(self.usage_interval)

    def show_usage(self, previous: HostUsageSample | None, sample: HostUsageSample) -> None:
        self.samples += 1
        if sample.memory_total_kib:
            share = sample.memory_used_kib / sample.memory_total_kib
            self.memory_graph.add(share)
            self.memory_usage.setText(
                tr("{0} of {1} ({2}%)").format(
                    format_memory(sample.memory_used_kib),
                    format_memory(sample.memory_total_kib),
                    round(share * 100),
                )
            )
        else:
            self.memory_usage.setText(tr("not available on this host"))
        if sample.cpu_total_ns is None:
            self._cpu_unavailable()
            return
        if previous is None:
            if not self.cpu_usage.text():
                self.cpu_usage.setText(tr("measuring…"))
            return
        fraction = cpu_fraction(previous, sample)
        if fraction is None:  # the counters stand still: a driver that does not count
            self._cpu_unavailable()
            return
        self.cpu_graph.setEnabled(True)
        self.cpu_graph.add(fraction)
        self.cpu_usage.setText(tr("{0}%").format(f"{fraction * 100:.0f}"))

    def _cpu_unavailable(self) -> None:
        self.cpu_graph.setEnabled(False)
        self.cpu_usage.setText(tr("not available on this host"))
