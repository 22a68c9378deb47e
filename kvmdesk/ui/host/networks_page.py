"""The virtual networks of one connection: a table and its actions.

Every libvirt call runs on the connection's worker; one action runs at a
time and the table is listed again after each. Names and addresses come
from the host and are shown as plain text (item text is never markup).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import libvirt
import shiboken6
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from kvmdesk.core import messages
from kvmdesk.core.command_log import logged
from kvmdesk.core.messages import tr
from kvmdesk.ui.common.errors import ask, ask_yes, report_text, show_failure
from kvmdesk.ui.common.widgets import (
    dim,
    fill_table,
    fit_columns,
    make_table,
    plain_item,
    plain_label,
    scaled_font,
    select_key,
    selected_key,
)
from kvmdesk.ui.host.network_dialog import AddNetworkDialog, input_message
from kvmdesk.ui.host.relisting import ResourcePage, run_action
from kvmdesk.virt import networks, virsh_commands
from kvmdesk.virt.commands import Commander
from kvmdesk.virt.errors import classify
from kvmdesk.virt.networks import (
    InvalidNetworkInput,
    LeaseRecord,
    NetworkInUseError,
    NetworkRecord,
)
from kvmdesk.virt.shown import shown

log = logging.getLogger(__name__)

COLUMNS = 7  # name, state, autostart, bridge, forward mode, IPv4, DHCP
LEASE_COLUMNS = 5  # MAC, address, host name, expiry, client id


def lease_texts(lease: LeaseRecord) -> list[str]:
    address = lease.address
    if address and lease.prefix is not None:
        address = f"{address}/{lease.prefix}"
    expiry = ""
    if lease.expiry:
        moment = datetime.datetime.fromtimestamp(lease.expiry)
        expiry = moment.strftime("%Y-%m-%d %H:%M:%S")
    return [lease.mac, address, lease.hostname, expiry, lease.client_id]


def mode_text(record: NetworkRecord) -> str:
    known = {"": tr("Isolated"), "nat": tr("NAT"), "route": tr("Routed"), "open": tr("Open")}
    return known.get(record.forward_mode, record.forward_mode)


def row_texts(record: NetworkRecord) -> list[str]:
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
    lines = [tr("• {0}").format(shown(name)) for name in names[:limit]]
    if len(names) > limit:
        lines.append(tr("and {0} more").format(len(names) - limit))
    return "\n".join(lines)


class NetworksPage(ResourcePage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("network action", lambda conn: conn.networksChanged, parent)
        self.records: list[NetworkRecord] = []

        self.table = make_table(
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
        self.table.setAccessibleName(tr("Virtual networks"))
        self.table.itemSelectionChanged.connect(self.update_buttons)
        self.table.itemSelectionChanged.connect(self._network_selected)

        self.leases: list[LeaseRecord] = []
        self._leases_of: str | None = None  # the network the lease table shows
        self.leases_title = plain_label(tr("DHCP Leases"), selectable=False)
        self.leases_title.setFont(scaled_font(self.font(), 1.1))
        self.lease_table = make_table(
            [tr("MAC address"), tr("IP address"), tr("Host name"), tr("Expires"), tr("Client ID")]
        )
        self.lease_table.setAccessibleName(tr("DHCP Leases"))
        self.lease_note = dim(plain_label(selectable=False))
        self.lease_note.setWordWrap(True)

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

        self._lay_out(
            [self.table, buttons],
            [self.leases_title, self.lease_table, self.lease_note],
            stretch=(3, 2),
            sizes=(320, 220),
        )
        self.update_buttons()

    # -- plumbing ---------------------------------------------------------

    def _on_selected(self, fn: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> None:
        record = self.selected()
        if record is not None:
            self._spawn(lambda: fn(record.name, *args))

    def selected(self) -> NetworkRecord | None:
        name = selected_key(self.table)
        if name is None:
            return None
        return next((r for r in self.records if r.name == name), None)

    def select(self, name: str) -> None:
        select_key(self.table, name)

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
        return await self._relisting.refresh(
            conn, networks.list_networks, self.show_records, self.status
        )

    def show_records(self, records: list[NetworkRecord]) -> None:
        current = self.selected()
        self.records = records
        self.table.blockSignals(True)
        fill_table(self.table, [(record.name, row_texts(record)) for record in records])
        self.table.blockSignals(False)
        if current is not None and any(r.name == current.name for r in records):
            self.select(current.name)
        elif records:
            self.select(records[0].name)
        self.update_buttons()
        self._leases_of = None  # the leases are listed with the networks
        self._network_selected()

    # -- DHCP leases --------------------------------------------------------

    def _network_selected(self) -> None:
        record = self.selected()
        if record is None:
            self._leases_of = None
            self.leases_title.setText(tr("DHCP Leases"))
            self._show_lease_note("")
        elif record.name != self._leases_of:
            self._spawn(lambda: self.load_leases(record.name))

    def _show_lease_note(self, text: str) -> None:
        self.leases = []
        self.lease_table.clear()
        self.lease_note.setText(text)
        self.lease_note.setVisible(bool(text))

    async def load_leases(self, name: str) -> bool:
        """The DHCP leases of network ``name``, shown if it is still selected."""
        conn = self.conn
        record = next((r for r in self.records if r.name == name), None)
        if conn is None or record is None:
            return False
        self._leases_of = name
        self.leases_title.setText(tr("DHCP Leases of {0}").format(shown(name)))
        self._show_lease_note("")  # nothing of the network shown before
        if not record.active:
            self._show_lease_note(tr("The network is stopped: it hands out no addresses."))
            return True
        if not (record.dhcp_start or record.dhcp_end):
            self._show_lease_note(tr("This network has no DHCP server."))
            return True
        try:
            leases = await conn.call(networks.dhcp_leases, name)
        except libvirt.libvirtError as exc:
            if not shiboken6.isValid(self) or self._leases_of != name:
                return False
            if exc.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT:
                self._show_lease_note(tr("DHCP leases are not available on this host."))
            else:
                self._show_lease_note(messages.failure_summary(classify(exc)))
            return False
        except Exception as exc:  # NotConnectedError
            if shiboken6.isValid(self) and self._leases_of == name:
                self._show_lease_note(messages.failure_summary(classify(exc)))
            return False
        if not shiboken6.isValid(self) or self._leases_of != name:
            return False  # the selection moved on meanwhile
        self._show_lease_note("" if leases else tr("No guest holds a lease on this network now."))
        self.leases = leases
        for lease in leases:
            self.lease_table.addTopLevelItem(plain_item(lease_texts(lease)))
        fit_columns(self.lease_table)
        return True

    # -- actions ----------------------------------------------------------

    async def _act(
        self, title: str, name: str, command: Commander, fn: Callable[..., Any], *args: Any
    ) -> bool:
        """Run ``fn(virConnect, *args)`` with ``command(uri)`` logged, report a
        failure, list again."""
        return await run_action(
            self,
            self,
            title,
            name,
            lambda conn: logged(conn, command(conn.uri), fn, *args),
            (NetworkInUseError, self._report_in_use),
            (InvalidNetworkInput, input_message),
        )

    async def set_active(self, name: str, on: bool, confirm: bool = True) -> bool:
        """Start or stop a network; stopping one that running domains use asks first."""
        title = tr("Start Network") if on else tr("Stop Network")
        if not on and confirm and not await self._confirm_stop(title, name):
            return False
        command = partial(virsh_commands.net_active, name=name, on=on)
        return await self._act(title, name, command, networks.set_active, name, on)

    async def _confirm_stop(self, title: str, name: str) -> bool:
        conn = self.conn
        if conn is None:
            return False
        try:
            users = await conn.call(networks.domains_using, name)
        except Exception as exc:  # libvirtError, NotConnectedError
            if shiboken6.isValid(self):
                show_failure(self, tr("{0}: {1}").format(title, shown(name)), classify(exc))
            return False
        if not users or not shiboken6.isValid(self):
            return bool(not users)
        return await ask_yes(
            self,
            title,
            tr("Stop the virtual network {0}?").format(shown(name)),
            tr("These running virtual machines lose their network connection:")
            + "\n"
            + name_list(users),
        )

    async def set_autostart(self, name: str, on: bool) -> bool:
        command = partial(virsh_commands.net_autostart, name=name, on=on)
        title = tr("Network Autostart")
        return await self._act(title, name, command, networks.set_autostart, name, on)

    async def delete(self, name: str, confirm: bool = True) -> bool:
        if confirm and not await ask_yes(
            self,
            tr("Delete Network"),
            tr("Delete the virtual network {0}?").format(shown(name)),
            tr("It is stopped and its definition removed. This cannot be undone."),
        ):
            return False
        record = next((r for r in self.records if r.name == name), None)
        command = partial(
            virsh_commands.net_delete,
            name=name,
            active=record is None or record.active,
            persistent=record is None or record.persistent,
        )
        return await self._act(tr("Delete Network"), name, command, networks.delete_network, name)

    async def add_network(self) -> bool:
        uri = self.conn.uri if self.conn is not None else ""
        dialog = AddNetworkDialog(list(self.records), self, uri)
        accepted = await ask(dialog) == AddNetworkDialog.DialogCode.Accepted.value
        name, address, start, end, mode = dialog.values()
        shown_command = dialog.command()
        dialog.deleteLater()
        if not accepted or shown_command is None:
            return False
        ok = await self._act(
            tr("Add Virtual Network"),
            name,
            lambda _uri: shown_command,
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
        report_text(
            self,
            tr("Delete Network"),
            tr("The network {0} is in use and was not deleted.").format(shown(exc.network)),
            tr("These running virtual machines are connected to it:")
            + "\n"
            + name_list(exc.domains)
            + "\n\n"
            + tr("Shut them down, or connect them to another network, first."),
        )
