"""The pane beside the tree: what the selected domain or connection is.

A domain's details come from ``Connection.details`` (a worker call), so the
pane shows "Loading…" when the selection moves, keeps the old content while
it refreshes the same domain, and drops answers that arrive after the
selection moved on. A connection's overview needs no call: it is redrawn
from ``conn.host`` and ``conn.state`` whenever the connection signals.

All text from the host (names, descriptions, paths, error messages) goes
into plain-text labels and item views; nothing here renders markup.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import libvirt
import shiboken6
from PySide6.QtCore import (
    QMetaObject,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.models.icons import state_icon
from kvmdesk.models.tree import format_memory
from kvmdesk.virt.errors import ErrorKind, Failure, classify
from kvmdesk.virt.records import DomainDetails, DomainRecord, DomainState, HostRecord

log = logging.getLogger(__name__)

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse

# -- words ------------------------------------------------------------------


def _running_reasons() -> dict[int, str]:
    tr = messages.tr
    return {
        libvirt.VIR_DOMAIN_RUNNING_BOOTED: tr("booted"),
        libvirt.VIR_DOMAIN_RUNNING_MIGRATED: tr("migrated"),
        libvirt.VIR_DOMAIN_RUNNING_RESTORED: tr("restored"),
        libvirt.VIR_DOMAIN_RUNNING_FROM_SNAPSHOT: tr("from snapshot"),
        libvirt.VIR_DOMAIN_RUNNING_UNPAUSED: tr("unpaused"),
        libvirt.VIR_DOMAIN_RUNNING_MIGRATION_CANCELED: tr("migration cancelled"),
        libvirt.VIR_DOMAIN_RUNNING_SAVE_CANCELED: tr("save cancelled"),
        libvirt.VIR_DOMAIN_RUNNING_WAKEUP: tr("woken up"),
        libvirt.VIR_DOMAIN_RUNNING_CRASHED: tr("crashed"),
        libvirt.VIR_DOMAIN_RUNNING_POSTCOPY: tr("post-copy migration"),
        libvirt.VIR_DOMAIN_RUNNING_POSTCOPY_FAILED: tr("post-copy migration failed"),
    }


def _paused_reasons() -> dict[int, str]:
    tr = messages.tr
    return {
        libvirt.VIR_DOMAIN_PAUSED_USER: tr("by the user"),
        libvirt.VIR_DOMAIN_PAUSED_MIGRATION: tr("migrating"),
        libvirt.VIR_DOMAIN_PAUSED_SAVE: tr("saving"),
        libvirt.VIR_DOMAIN_PAUSED_DUMP: tr("dumping core"),
        libvirt.VIR_DOMAIN_PAUSED_IOERROR: tr("I/O error"),
        libvirt.VIR_DOMAIN_PAUSED_WATCHDOG: tr("watchdog"),
        libvirt.VIR_DOMAIN_PAUSED_FROM_SNAPSHOT: tr("from snapshot"),
        libvirt.VIR_DOMAIN_PAUSED_SHUTTING_DOWN: tr("shutting down"),
        libvirt.VIR_DOMAIN_PAUSED_SNAPSHOT: tr("taking a snapshot"),
        libvirt.VIR_DOMAIN_PAUSED_CRASHED: tr("guest crashed"),
        libvirt.VIR_DOMAIN_PAUSED_STARTING_UP: tr("starting up"),
        libvirt.VIR_DOMAIN_PAUSED_POSTCOPY: tr("post-copy migration"),
        libvirt.VIR_DOMAIN_PAUSED_POSTCOPY_FAILED: tr("post-copy migration failed"),
        getattr(libvirt, "VIR_DOMAIN_PAUSED_API_ERROR", 14): tr("management error"),
    }


def _shutoff_reasons() -> dict[int, str]:
    tr = messages.tr
    return {
        libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN: tr("shut down"),
        libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED: tr("forced off"),
        libvirt.VIR_DOMAIN_SHUTOFF_CRASHED: tr("crashed"),
        libvirt.VIR_DOMAIN_SHUTOFF_MIGRATED: tr("migrated"),
        libvirt.VIR_DOMAIN_SHUTOFF_SAVED: tr("saved"),
        libvirt.VIR_DOMAIN_SHUTOFF_FAILED: tr("failed to start"),
        libvirt.VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT: tr("from snapshot"),
        libvirt.VIR_DOMAIN_SHUTOFF_DAEMON: tr("stopped by libvirt"),
    }


def state_reason_text(state: DomainState, reason: int) -> str:
    """libvirt's state reason in words, or "" when unknown or not worth saying."""
    if state in (DomainState.RUNNING, DomainState.BLOCKED):
        table = _running_reasons() if state is DomainState.RUNNING else {}
    elif state is DomainState.PAUSED:
        table = _paused_reasons()
    elif state is DomainState.SHUTDOWN:
        table = {libvirt.VIR_DOMAIN_SHUTDOWN_USER: messages.tr("requested by the user")}
    elif state in (DomainState.SHUTOFF, DomainState.SAVED):
        table = _shutoff_reasons()
    elif state is DomainState.CRASHED:
        table = {libvirt.VIR_DOMAIN_CRASHED_PANICKED: messages.tr("guest panicked")}
    else:
        table = {}
    return table.get(reason, "")


def state_text(record: DomainRecord) -> str:
    """ "Shutoff (shut down)", or the bare state when the reason says nothing."""
    label = messages.state_label(record.state)
    reason = state_reason_text(record.state, record.reason)
    if not reason or (record.state is DomainState.SAVED and reason == messages.tr("saved")):
        return label
    return messages.tr("{0} ({1})").format(label, reason)


def _yes_no(value: bool) -> str:
    return messages.tr("Yes") if value else messages.tr("No")


def _hypervisor_type(domain_type: str) -> str:
    return {"kvm": "KVM", "qemu": "QEMU", "test": messages.tr("Test")}.get(domain_type, domain_type)


def _device_text(device: str) -> str:
    return {
        "disk": messages.tr("Disk"),
        "cdrom": messages.tr("CD-ROM"),
        "floppy": messages.tr("Floppy"),
        "lun": messages.tr("LUN"),
    }.get(device, device)


def _interface_type(kind: str) -> str:
    return {
        "network": messages.tr("Virtual network"),
        "bridge": messages.tr("Bridge"),
        "direct": messages.tr("Macvtap"),
        "user": messages.tr("Usermode networking"),
        "vhostuser": messages.tr("vhost-user"),
        "hostdev": messages.tr("PCI passthrough"),
    }.get(kind, kind)


# -- building blocks -----------------------------------------------------------


def scaled_font(base: QFont, factor: float, bold: bool = True) -> QFont:
    font = QFont(base)
    font.setBold(bold)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        font.setPixelSize(round(font.pixelSize() * factor))
    return font


def plain_label(text: str = "", *, selectable: bool = True, wrap: bool = True) -> QLabel:
    """A label that shows ``text`` literally (never as markup)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(_SELECTABLE)
    label.setText(text)
    return label


def let_shrink(label: QLabel) -> QLabel:
    """Let a wrapping label be narrower than its longest word: long host-supplied
    text is cut at the edge (its tooltip has it all) instead of widening the page."""
    policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(label.wordWrap())
    label.setSizePolicy(policy)
    return label


def padded_row_height(widget: QWidget) -> int:
    return widget.fontMetrics().height() + 8


class PaddedDelegate(QStyledItemDelegate):
    """Rows with some air above and below the text."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))


def _dim(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class _Section(QWidget):
    """A bold heading over a form of "Label: value" rows."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[QLabel] = []
        self.heading = plain_label(title, selectable=False)
        self.heading.setFont(scaled_font(self.font(), 1.1))
        self.form = QFormLayout()
        self.form.setContentsMargins(12, 0, 0, 0)
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(6)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)

    def add_row(self, title: str) -> QLabel:
        name = plain_label(title, selectable=False, wrap=False)
        value = plain_label()
        let_shrink(value)
        self.form.addRow(name, value)
        self.names.append(name)
        return value

    def add_widget(self, widget: QWidget) -> None:
        self.form.addRow(widget)

    def set_row(self, value: QLabel, text: str, *, hide_empty: bool = False) -> None:
        value.setText(text)
        self.form.setRowVisible(value, bool(text) or not hide_empty)


def _align_forms(sections: list[_Section]) -> None:
    """One label column width for all sections of a page, so the values line up."""
    width = max((n.sizeHint().width() for s in sections for n in s.names), default=0)
    for section in sections:
        for name in section.names:
            name.setMinimumWidth(width)


class _FitTree(QTreeWidget):
    """A read-only list as tall as its rows: the page around it scrolls, not the list."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setItemsExpandable(False)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setItemDelegate(PaddedDelegate(self))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_rows(self, rows: list[list[str]], stretch: int) -> None:
        self.clear()
        for values in rows:
            item = QTreeWidgetItem(values)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren)
            for column, text in enumerate(values):
                if text:
                    item.setToolTip(column, messages.plain_tooltip(text))
            self.addTopLevelItem(item)
        self.header().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.updateGeometry()

    def _height(self) -> int:
        rows = self.topLevelItemCount()
        row = max(self.sizeHintForRow(0), padded_row_height(self)) if rows else 0
        header = 0 if self.isHeaderHidden() else self.header().sizeHint().height()
        return header + rows * row + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height())


def _scroll_page(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


def _page_layout(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(18, 16, 18, 18)
    layout.setSpacing(18)
    return layout


class MessagePage(QWidget):
    """A centred message: a headline, an optional hint and libvirt's own words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = plain_label()
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setFont(scaled_font(self.font(), 1.15))
        self.hint = plain_label()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details_heading = plain_label(messages.tr("Details"), selectable=False)
        self.details_heading.setFont(scaled_font(self.font(), 1.0))
        self.details_heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = _dim(plain_label())
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QWidget()
        box.setMaximumWidth(560)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(10)
        box_layout.addWidget(self.headline)
        box_layout.addWidget(self.hint)
        box_layout.addSpacing(6)
        box_layout.addWidget(self.details_heading)
        box_layout.addWidget(self.details)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self.show_message("")

    def show_message(self, headline: str, hint: str = "", details: str = "") -> None:
        self.headline.setText(headline)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.details.setText(details)
        self.details_heading.setVisible(bool(details))
        self.details.setVisible(bool(details))

    def show_failure(self, failure: Failure) -> None:
        self.show_message(
            messages.failure_summary(failure), messages.failure_hint(failure), failure.message
        )


# -- domain overview -------------------------------------------------------------


class DomainOverview(QWidget):
    """Everything ``DomainDetails`` says about one domain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = messages.tr
        self.icon = QLabel()
        self.name = plain_label()
        self.name.setFont(scaled_font(self.font(), 1.45))
        let_shrink(self.name)
        self.title = plain_label()
        let_shrink(self.title)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.name)
        titles.addWidget(self.title)
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(titles, 1)

        self.general = _Section(tr("General"))
        self.description = self.general.add_row(tr("Description:"))
        self.uuid = self.general.add_row(tr("UUID:"))
        self.state = self.general.add_row(tr("State:"))
        self.autostart = self.general.add_row(tr("Autostart:"))
        self.persistence = self.general.add_row(tr("Definition:"))

        self.system = _Section(tr("Hypervisor"))
        self.hypervisor = self.system.add_row(tr("Hypervisor:"))
        self.os_type = self.system.add_row(tr("OS type:"))
        self.arch = self.system.add_row(tr("Architecture:"))
        self.machine = self.system.add_row(tr("Machine:"))

        self.resources = _Section(tr("Resources"))
        self.vcpus = self.resources.add_row(tr("vCPUs:"))
        self.memory = self.resources.add_row(tr("Memory:"))

        self.disk_section = _Section(tr("Disks"))
        self.disks = _FitTree([tr("Target"), tr("Device"), tr("Source"), tr("Format"), tr("Notes")])
        self.no_disks = _dim(plain_label(tr("No disks"), selectable=False))
        self.disk_section.add_widget(self.disks)
        self.disk_section.add_widget(self.no_disks)

        self.nic_section = _Section(tr("Network interfaces"))
        self.nics = _FitTree([tr("MAC address"), tr("Type"), tr("Source"), tr("Model")])
        self.no_nics = _dim(plain_label(tr("No network interfaces"), selectable=False))
        self.nic_section.add_widget(self.nics)
        self.nic_section.add_widget(self.no_nics)

        layout = _page_layout(self)
        layout.addLayout(head)
        for section in (
            self.general,
            self.system,
            self.resources,
            self.disk_section,
            self.nic_section,
        ):
            layout.addWidget(section)
        layout.addStretch(1)
        _align_forms([self.general, self.system, self.resources])

    def set_details(self, details: DomainDetails) -> None:
        tr = messages.tr
        rec = details.record
        pixmap = state_icon(rec.state).pixmap(32, 32)
        self.icon.setPixmap(pixmap)
        self.icon.setVisible(not pixmap.isNull())
        self.name.setText(rec.name)
        self.name.setToolTip(messages.plain_tooltip(rec.name))
        self.title.setText(details.title)
        self.title.setVisible(bool(details.title))
        self.general.set_row(self.description, details.description, hide_empty=True)
        self.general.set_row(self.uuid, rec.uuid)
        self.general.set_row(self.state, state_text(rec))
        self.general.set_row(self.autostart, _yes_no(rec.autostart))
        self.general.set_row(
            self.persistence,
            tr("Persistent") if rec.persistent else tr("Transient (gone once it stops)"),
        )
        self.system.set_row(self.hypervisor, _hypervisor_type(details.domain_type))
        self.system.set_row(self.os_type, details.os_type, hide_empty=True)
        self.system.set_row(self.arch, details.arch, hide_empty=True)
        self.system.set_row(self.machine, details.machine, hide_empty=True)
        self.resources.set_row(self.vcpus, str(rec.vcpus))
        self.resources.set_row(self.memory, format_memory(rec.memory_kib))

        disk_rows = []
        for disk in details.disks:
            notes = []
            if disk.readonly:
                notes.append(tr("read-only"))
            if disk.shareable:
                notes.append(tr("shareable"))
            disk_rows.append(
                [
                    disk.target,
                    _device_text(disk.device),
                    disk.source or tr("(empty)"),
                    disk.driver_format,
                    ", ".join(notes),
                ]
            )
        self.disks.set_rows(disk_rows, stretch=2)
        self.disk_section.form.setRowVisible(self.disks, bool(disk_rows))
        self.disk_section.form.setRowVisible(self.no_disks, not disk_rows)

        nic_rows = [
            [nic.mac, _interface_type(nic.kind), nic.source, nic.model]
            for nic in details.interfaces
        ]
        self.nics.set_rows(nic_rows, stretch=2)
        self.nic_section.form.setRowVisible(self.nics, bool(nic_rows))
        self.nic_section.form.setRowVisible(self.no_nics, not nic_rows)


# -- connection overview -----------------------------------------------------------


class ConnectionOverview(QWidget):
    """What a connection is, whether it works and what host is behind it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = messages.tr
        self.label = plain_label()
        self.label.setFont(scaled_font(self.font(), 1.45))
        let_shrink(self.label)

        self.connection = _Section(tr("Connection"))
        self.uri = self.connection.add_row(tr("URI:"))
        self.state = self.connection.add_row(tr("State:"))

        self.problem = _Section(tr("Problem"))
        self.problem_summary = plain_label()
        self.problem_hint = plain_label()
        self.problem_details_heading = plain_label(tr("Details"), selectable=False)
        self.problem_details_heading.setFont(scaled_font(self.font(), 1.0))
        self.problem_details = _dim(plain_label())
        for widget in (
            self.problem_summary,
            self.problem_hint,
            self.problem_details_heading,
            self.problem_details,
        ):
            self.problem.add_widget(widget)

        self.hypervisor_section = _Section(tr("Hypervisor"))
        self.hypervisor = self.hypervisor_section.add_row(tr("Hypervisor:"))
        self.libvirt_version = self.hypervisor_section.add_row(tr("libvirt version:"))

        self.host_section = _Section(tr("Host"))
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

        self.no_host = _dim(
            plain_label(tr("Host details are shown while connected."), selectable=False)
        )

        layout = _page_layout(self)
        layout.addWidget(self.label)
        for part in (
            self.connection,
            self.problem,
            self.hypervisor_section,
            self.host_section,
            self.no_host,
        ):
            layout.addWidget(part)
        layout.addStretch(1)
        _align_forms([self.connection, self.hypervisor_section, self.host_section])

    def set_connection(self, conn: Connection) -> None:
        tr = messages.tr
        self.label.setText(messages.connection_label(conn))
        self.label.setToolTip(messages.plain_tooltip(conn.uri))
        self.connection.set_row(self.uri, conn.uri)
        self.update_state(conn)

        failure = conn.failure
        self.problem.setVisible(failure is not None)
        if failure is not None:
            hint = messages.failure_hint(failure)
            self.problem_summary.setText(messages.failure_summary(failure))
            self.problem_hint.setText(hint)
            self.problem_hint.setVisible(bool(hint))
            self.problem_details.setText(failure.message)
            self.problem_details_heading.setVisible(bool(failure.message))
            self.problem_details.setVisible(bool(failure.message))

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


# -- the pane ---------------------------------------------------------------------


class DetailsPane(QTabWidget):
    """Overview, screenshot and console of the selected domain, or a connection's overview.

    ``clear()`` does not remove the tabs as ``QTabWidget.clear`` would: it points
    the pane at nothing and shows the invitation to select something.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn: Connection | None = None
        self._uuid: str | None = None  # None: the connection itself is shown
        self._links: list[QMetaObject.Connection] = []
        self._selection = 0  # bumped whenever the pane is pointed elsewhere
        self._busy_for: int | None = None  # selection whose details are being fetched
        self._again = False  # another fetch is wanted once the current one ends
        self._tasks: set[asyncio.Future[Any]] = set()

        self.placeholder = _dim(
            plain_label(self.tr("Select a virtual machine or a connection"), selectable=False)
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setFont(scaled_font(self.font(), 1.15, bold=False))

        self.message = MessagePage()
        self.domain_overview = DomainOverview()
        self.connection_overview = ConnectionOverview()
        self.overview = QStackedWidget()
        self.overview.addWidget(self.placeholder)
        self.overview.addWidget(self.message)
        self._domain_page = _scroll_page(self.domain_overview)
        self._connection_page = _scroll_page(self.connection_overview)
        self.overview.addWidget(self._domain_page)
        self.overview.addWidget(self._connection_page)

        self.setDocumentMode(True)
        self.addTab(self.overview, self.tr("Overview"))
        self.screenshot_tab, self.console_tab = self._create_guest_tabs()
        self.addTab(self.screenshot_tab, self.tr("Screenshot"))
        self.addTab(self.console_tab, self.tr("Console"))

        self._ticker = QTimer(self)  # counts down "Reconnecting in N s"
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self.clear()

    def _create_guest_tabs(self) -> tuple[QWidget, QWidget]:
        """The widgets behind the Screenshot and Console tabs."""
        screenshot = MessagePage()
        screenshot.show_message(
            self.tr("The guest's screen is shown here."),
            self.tr("A later version of kvmdesk fills this tab."),
        )
        console = MessagePage()
        console.show_message(
            self.tr("The guest's serial console is shown here."),
            self.tr("A later version of kvmdesk fills this tab."),
        )
        return screenshot, console

    # -- public API -------------------------------------------------------

    @property
    def connection(self) -> Connection | None:
        return self._conn

    @property
    def uuid(self) -> str | None:
        return self._uuid

    def clear(self) -> None:
        """Show nothing but the invitation to select something."""
        self._selection += 1
        self._unwatch()
        self._conn = self._uuid = None
        self._ticker.stop()
        self._set_guest_tabs_visible(False)
        self.tabBar().setVisible(False)
        self.setCurrentWidget(self.overview)
        self.overview.setCurrentWidget(self.placeholder)

    def show_domain(self, conn: Connection, uuid: str) -> None:
        """Show one domain; showing the same one again refreshes it."""
        if not shiboken6.isValid(conn):
            self.clear()
            return
        if conn is self._conn and uuid == self._uuid:
            self._domain_update()
            return
        self._selection += 1
        self._watch(conn)
        self._uuid = uuid
        self._set_guest_tabs_visible(True)
        self.tabBar().setVisible(True)
        self._show_message(self.tr("Loading…"))
        self._domain_update()

    def show_connection(self, conn: Connection) -> None:
        """Show a connection's overview, kept current from its signals."""
        if not shiboken6.isValid(conn):
            self.clear()
            return
        self._selection += 1
        self._watch(conn)
        self._uuid = None
        self._set_guest_tabs_visible(False)
        self.tabBar().setVisible(True)
        self.setCurrentWidget(self.overview)
        self._connection_update()

    # -- following the connection ----------------------------------------------

    def _watch(self, conn: Connection) -> None:
        if conn is self._conn and self._links:
            return
        self._unwatch()
        self._conn = conn
        self._links = [
            conn.stateChanged.connect(self._on_state_changed),
            conn.hostChanged.connect(self._on_host_changed),
            conn.domainChanged.connect(self._on_domain_changed),
            conn.domainRemoved.connect(self._on_domain_removed),
            conn.destroyed.connect(self._on_conn_destroyed),
        ]

    def _unwatch(self) -> None:
        for link in self._links:
            QObject.disconnect(link)
        self._links = []

    def _on_conn_destroyed(self, _obj: object = None) -> None:
        self._links = []  # gone with the object
        self.clear()

    def _on_state_changed(self) -> None:
        if self._conn is None:
            return
        if self._uuid is None:
            self._connection_update()
        else:
            self._domain_update()

    def _on_host_changed(self, _host: object) -> None:
        if self._conn is not None and self._uuid is None:
            self._connection_update()

    def _on_domain_changed(self, record: DomainRecord) -> None:
        if self._uuid is not None and record.uuid == self._uuid:
            self._domain_update()

    def _on_domain_removed(self, uuid: str) -> None:
        if self._uuid is not None and uuid == self._uuid:
            self._domain_update()

    def _tick(self) -> None:
        conn = self._conn
        if conn is None or not shiboken6.isValid(conn) or conn.state is not ConnState.WAITING:
            self._ticker.stop()
            return
        if self._uuid is None:
            self.connection_overview.update_state(conn)
        else:
            self._show_disconnected(conn)

    def _follow_countdown(self, conn: Connection) -> None:
        if conn.state is ConnState.WAITING:
            self._ticker.start()
        else:
            self._ticker.stop()

    # -- connection view ------------------------------------------------------------

    def _connection_update(self) -> None:
        conn = self._conn
        if conn is None:
            return
        self.connection_overview.set_connection(conn)
        self.overview.setCurrentWidget(self._connection_page)
        self._follow_countdown(conn)

    # -- domain view ---------------------------------------------------------------

    def _set_guest_tabs_visible(self, visible: bool) -> None:
        for tab in (self.screenshot_tab, self.console_tab):
            self.setTabVisible(self.indexOf(tab), visible)

    def _show_message(self, headline: str, hint: str = "", details: str = "") -> None:
        self.message.show_message(headline, hint, details)
        self.overview.setCurrentWidget(self.message)

    def _show_disconnected(self, conn: Connection) -> None:
        failure = conn.failure
        self._show_message(
            messages.connection_state_text(conn),
            messages.failure_hint(failure) if failure is not None else "",
            failure.message if failure is not None else "",
        )

    def _domain_update(self) -> None:
        """Fetch the shown domain's details, at most one fetch at a time."""
        conn = self._conn
        if conn is None or self._uuid is None:
            return
        self._follow_countdown(conn)
        if not conn.is_connected:
            self._show_disconnected(conn)
            return
        if self._busy_for == self._selection:
            self._again = True
            return
        self._fetch(conn, self._uuid)

    def _fetch(self, conn: Connection, uuid: str) -> None:
        selection = self._selection
        self._busy_for = selection
        self._again = False
        task = asyncio.ensure_future(self._load(selection, conn, uuid))
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("loading domain details failed", exc_info=task.exception())

    async def _load(self, selection: int, conn: Connection, uuid: str) -> None:
        details: DomainDetails | None = None
        failure: Failure | None = None
        try:
            details = await conn.details(uuid)
        except asyncio.CancelledError:
            if shiboken6.isValid(self) and self._busy_for == selection:
                self._busy_for = None
            raise
        except Exception as exc:  # libvirtError; RuntimeError when the worker shut down
            failure = classify(exc)
        if not shiboken6.isValid(self) or selection != self._selection:
            return  # the pane was deleted or points elsewhere now
        self._busy_for = None
        if not shiboken6.isValid(conn) or not conn.is_connected:
            if shiboken6.isValid(conn):
                self._show_disconnected(conn)
            return
        if failure is not None:
            if failure.kind is ErrorKind.NO_DOMAIN:
                self._show_gone()
            else:
                self.message.show_failure(failure)
                self.overview.setCurrentWidget(self.message)
        elif details is None:
            self._show_gone()
        else:
            self.domain_overview.set_details(details)
            self.overview.setCurrentWidget(self._domain_page)
        if self._again:
            self._domain_update()

    def _show_gone(self) -> None:
        self._show_message(self.tr("This virtual machine no longer exists."))
