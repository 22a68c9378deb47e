"""The virtual networks of one connection: a table and its actions.

Every libvirt call runs on the connection's worker; one action runs at a
time and the table is listed again after each. Names and addresses come
from the host and are shown as plain text (item text is never markup).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.connection import Connection
from kvmdesk.ui.errors import ask, ask_yes, report_text, show_failure
from kvmdesk.ui.network_dialog import AddNetworkDialog, input_message
from kvmdesk.ui.widgets import PaddedDelegate, dim, plain_label
from kvmdesk.virt import networks
from kvmdesk.virt.errors import classify
from kvmdesk.virt.networks import InvalidNetworkInput, NetworkInUseError, NetworkRecord

log = logging.getLogger(__name__)

COLUMNS = 7  # name, state, autostart, bridge, forward mode, IPv4, DHCP


def mode_text(record: NetworkRecord) -> str:
    tr = messages.tr
    known = {"": tr("Isolated"), "nat": tr("NAT"), "route": tr("Routed"), "open": tr("Open")}
    return known.get(record.forward_mode, record.forward_mode)


def row_texts(record: NetworkRecord) -> list[str]:
    tr = messages.tr
    dhcp = ""
    if record.dhcp_start or record.dhcp_end:
        dhcp = tr("{0} – {1}").format(record.dhcp_start, record.dhcp_end)
    return [
        record.name,
        tr("Active") if record.active else tr("Inactive"),
        tr("Yes") if record.autostart else tr("No"),
        record.bridge,
        mode_text(record),
        record.ipv4_cidr,
        dhcp,
    ]


def name_list(names: list[str], limit: int = 12) -> str:
    """Names one a line; past ``limit`` the rest are counted."""
    tr = messages.tr
    lines = [tr("• {0}").format(name) for name in names[:limit]]
    if len(names) > limit:
        lines.append(tr("and {0} more").format(len(names) - limit))
    return "\n".join(lines)


class NetworksPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = messages.tr
        self.conn: Connection | None = None
        self.records: list[NetworkRecord] = []
        self._busy = False
        self._tasks: set[asyncio.Future[Any]] = set()

        self.table = QTreeWidget()
        self.table.setHeaderLabels(
            [
                tr("Name"),
                tr("State"),
                tr("Autostart"),
                tr("Bridge"),
                tr("Mode"),
                tr("IPv4 address"),
                tr("DHCP range"),
            ]
        )
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setAllColumnsShowFocus(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegate(PaddedDelegate(self.table))
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.header().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.update_buttons)

        self.add_button = QPushButton(tr("Add…"))
        self.start_button = QPushButton(tr("Start"))
        self.stop_button = QPushButton(tr("Stop"))
        self.autostart_button = QPushButton(tr("Autostart"))
        self.autostart_button.setCheckable(True)
        self.autostart_button.setToolTip(tr("Start this network when the host starts"))
        self.delete_button = QPushButton(tr("Delete…"))
        self.refresh_button = QPushButton(tr("Refresh"))
        self.add_button.clicked.connect(lambda: self._spawn(self.add_network))
        self.start_button.clicked.connect(lambda: self._on_selected(self.set_active, True))
        self.stop_button.clicked.connect(lambda: self._on_selected(self.set_active, False))
        self.autostart_button.clicked.connect(
            lambda checked: self._on_selected(self.set_autostart, bool(checked))
        )
        self.delete_button.clicked.connect(lambda: self._on_selected(self.delete))
        self.refresh_button.clicked.connect(lambda: self._spawn(self.refresh))

        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.start_button,
            self.stop_button,
            self.autostart_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)

        self.status = dim(plain_label(selectable=False))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(10)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.update_buttons()

    # -- plumbing ---------------------------------------------------------

    def set_connection(self, conn: Connection) -> None:
        self.conn = conn

    def _spawn(self, fn: Callable[[], Coroutine[Any, Any, Any]]) -> None:
        task = asyncio.ensure_future(fn())
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def start_refresh(self) -> None:
        self._spawn(self.refresh)

    def _task_done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a network action failed", exc_info=task.exception())

    def _on_selected(self, fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> None:
        record = self.selected()
        if record is not None:
            self._spawn(lambda: fn(record.name, *args))

    def selected(self) -> NetworkRecord | None:
        items = self.table.selectedItems()
        if not items:
            return None
        name = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self.records if r.name == name), None)

    def select(self, name: str) -> None:
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == name:
                self.table.setCurrentItem(item)
                return

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.status.setText(messages.tr("Working…") if busy else "")
        self.update_buttons()

    def update_buttons(self) -> None:
        record = self.selected()
        idle = not self._busy and self.conn is not None and self.conn.is_connected
        self.add_button.setEnabled(idle)
        self.refresh_button.setEnabled(idle)
        self.start_button.setEnabled(idle and record is not None and not record.active)
        self.stop_button.setEnabled(idle and record is not None and record.active)
        can_autostart = idle and record is not None and record.persistent
        self.autostart_button.setEnabled(can_autostart)
        self.autostart_button.setChecked(record is not None and record.autostart)
        self.delete_button.setEnabled(idle and record is not None)

    # -- listing ----------------------------------------------------------

    async def refresh(self) -> bool:
        conn = self.conn
        if conn is None:
            return False
        try:
            records = await conn.call(networks.list_networks)
        except Exception as exc:  # libvirtError, NotConnectedError
            if shiboken6.isValid(self):
                self.status.setText(messages.failure_summary(classify(exc)))
            return False
        if shiboken6.isValid(self):
            self.show_records(records)
        return True

    def show_records(self, records: list[NetworkRecord]) -> None:
        current = self.selected()
        self.records = records
        self.table.clear()
        for record in records:
            item = QTreeWidgetItem(row_texts(record))
            item.setData(0, Qt.ItemDataRole.UserRole, record.name)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren
            )
            item.setToolTip(0, messages.plain_tooltip(record.name))
            self.table.addTopLevelItem(item)
        for column in range(COLUMNS - 1):  # the last one stretches
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 20)
        if current is not None:
            self.select(current.name)
        elif records:
            self.select(records[0].name)
        self.update_buttons()

    # -- actions ----------------------------------------------------------

    async def _act(self, title: str, name: str, fn: Callable[..., Any], *args: Any) -> bool:
        """Run ``fn(virConnect, *args)``, report a failure, list again."""
        conn = self.conn
        if conn is None or self._busy:
            return False
        self._set_busy(True)
        ok = True
        try:
            await conn.call(fn, *args)
        except NetworkInUseError as exc:
            ok = False
            if shiboken6.isValid(self):
                self._report_in_use(exc)
        except InvalidNetworkInput as exc:
            ok = False
            if shiboken6.isValid(self):
                report_text(self, title, input_message(exc))
        except Exception as exc:  # libvirtError, NotConnectedError
            ok = False
            if shiboken6.isValid(self):
                show_failure(self, messages.tr("{0}: {1}").format(title, name), classify(exc))
        if not shiboken6.isValid(self):
            return ok
        self._set_busy(False)
        await self.refresh()
        return ok

    async def set_active(self, name: str, on: bool, confirm: bool = True) -> bool:
        """Start or stop a network; stopping one that running domains use asks first."""
        tr = messages.tr
        title = tr("Start Network") if on else tr("Stop Network")
        if not on and confirm and not await self._confirm_stop(title, name):
            return False
        return await self._act(title, name, networks.set_active, name, on)

    async def _confirm_stop(self, title: str, name: str) -> bool:
        conn = self.conn
        if conn is None:
            return False
        try:
            users = await conn.call(networks.domains_using, name)
        except Exception as exc:  # libvirtError, NotConnectedError
            if shiboken6.isValid(self):
                show_failure(self, messages.tr("{0}: {1}").format(title, name), classify(exc))
            return False
        if not users or not shiboken6.isValid(self):
            return bool(not users)
        tr = messages.tr
        return await ask_yes(
            self,
            title,
            tr("Stop the virtual network {0}?").format(name),
            tr("These running virtual machines lose their network connection:")
            + "\n"
            + name_list(users),
        )

    async def set_autostart(self, name: str, on: bool) -> bool:
        return await self._act(
            messages.tr("Network Autostart"), name, networks.set_autostart, name, on
        )

    async def delete(self, name: str, confirm: bool = True) -> bool:
        tr = messages.tr
        if confirm and not await ask_yes(
            self,
            tr("Delete Network"),
            tr("Delete the virtual network {0}?").format(name),
            tr("It is stopped and its definition removed. This cannot be undone."),
        ):
            return False
        return await self._act(tr("Delete Network"), name, networks.delete_network, name)

    async def add_network(self) -> bool:
        dialog = AddNetworkDialog(list(self.records), self)
        accepted = await ask(dialog) == AddNetworkDialog.DialogCode.Accepted.value
        name, address, start, end, mode = dialog.values()
        dialog.deleteLater()
        if not accepted:
            return False
        ok = await self._act(
            messages.tr("Add Virtual Network"),
            name,
            networks.create_nat_network,
            name,
            address,
            start,
            end,
            mode,
        )
        if ok and shiboken6.isValid(self):
            self.select(name)
        return ok

    def _report_in_use(self, exc: NetworkInUseError) -> None:
        tr = messages.tr
        report_text(
            self,
            tr("Delete Network"),
            tr("The network {0} is in use and was not deleted.").format(exc.network),
            tr("These running virtual machines are connected to it:")
            + "\n"
            + name_list(exc.domains)
            + "\n\n"
            + tr("Shut them down, or connect them to another network, first."),
        )
