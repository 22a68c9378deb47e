"""The overview of one connection: its URI and state, what went wrong, and
the hypervisor and host behind it while connected."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.models.tree import format_memory
from kvmdesk.ui.message_page import ProblemText
from kvmdesk.ui.widgets import Section, dim, fill_page, let_shrink, plain_label, scaled_font
from kvmdesk.virt.records import HostRecord


class ConnectionOverview(QWidget):
    """What a connection is, whether it works and what host is behind it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = messages.tr
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

        self.no_host = dim(
            plain_label(tr("Host details are shown while connected."), selectable=False)
        )

        parts = [self.connection, self.problem, self.hypervisor_section, self.host_section]
        fill_page(self, self.label, [*parts, self.no_host])

    def set_connection(self, conn: Connection) -> None:
        tr = messages.tr
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
        self.no_host.setVisible(host is None)
        if host is None:
            return
        section = self.hypervisor_section
        hypervisor = " ".join(p for p in (host.hypervisor, host.hypervisor_version) if p)
        section.set_row(self.hypervisor, hypervisor, hide_empty=True)
        section.set_row(self.libvirt_version, host.libvirt_version, hide_empty=True)
        section = self.host_section
        section.set_row(self.hostname, host.hostname, hide_empty=True)
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
