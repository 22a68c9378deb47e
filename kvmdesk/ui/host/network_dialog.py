"""The "Add Virtual Network" dialog: name, mode, IPv4 address and DHCP range.

The input is checked with ``networks.validate_new_network`` against the
networks listed when the dialog opened, and every refusal is worded here.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QWidget,
)

from kvmdesk.core.messages import tr
from kvmdesk.ui.common.command_view import command_row
from kvmdesk.ui.common.widgets import CheckedDialog, dim, plain_label
from kvmdesk.virt import virsh_commands
from kvmdesk.virt.commands import Command
from kvmdesk.virt.networks import (
    InvalidNetworkInput,
    NetworkRecord,
    network_xml,
    propose_network,
    validate_new_network,
)


def input_message(error: InvalidNetworkInput) -> str:
    """A refused input for a new network, as a sentence."""
    templates = {
        ("name", "empty"): tr("Enter a name for the network."),
        ("name", "slash"): tr("A network name cannot contain “/”."),
        ("name", "dash"): tr("A network name cannot start with “-”."),
        ("name", "taken"): tr("There is already a network named {0}."),
        ("address", "invalid"): tr(
            "Enter the host's IPv4 address on the network with its prefix or netmask,"
            " for example 192.168.100.1/24."
        ),
        ("address", "netmask"): tr("{0} does not have a valid netmask or prefix."),
        ("address", "small"): tr("The network {0} has no room for guests: use /30 or wider."),
        ("address", "not_host"): tr(
            "{0} is the network or broadcast address: the host needs an address inside it,"
            " such as .1."
        ),
        ("address", "overlap"): tr("The addresses overlap those of the network {0}."),
        ("dhcp", "partial"): tr("Enter both ends of the DHCP range, or neither."),
        ("dhcp", "invalid"): tr("The DHCP range {0} is not two IPv4 addresses."),
        ("dhcp", "outside"): tr("The DHCP address {0} is not a guest address of the network."),
        ("dhcp", "order"): tr("The DHCP range {0} ends before it starts."),
        ("dhcp", "gateway"): tr("The DHCP range holds the host's own address {0}."),
        ("mode", "invalid"): tr("Unknown network mode {0}."),
    }
    template = templates.get((error.field, error.reason), tr("The input is not valid: {0}"))
    return template.format(error.detail or str(error))


class AddNetworkDialog(CheckedDialog):
    """Asks for a new network; OK refuses input that is not valid and says why."""

    def __init__(
        self, existing: list[NetworkRecord], parent: QWidget | None = None, uri: str = ""
    ) -> None:
        super().__init__(tr("Add Virtual Network"), parent, width=460)
        self.uri = uri
        self.existing = existing
        # Filled in with a free name and subnet (not grey examples that OK
        # would then refuse as empty); the user changes what they want.
        proposal = propose_network(existing)
        self.name = QLineEdit(proposal.name if proposal else "")
        self.mode = QComboBox()
        self.mode.addItem(tr("NAT (guests reach outside through the host)"), "nat")
        self.mode.addItem(tr("Routed (guests are routed, no address translation)"), "route")
        self.mode.addItem(tr("Isolated (guests and host only)"), "isolated")
        self.address = QLineEdit(proposal.address if proposal else "")
        self.dhcp_start = QLineEdit(proposal.dhcp_start if proposal else "")
        self.dhcp_end = QLineEdit(proposal.dhcp_end if proposal else "")
        self.name.selectAll()

        form = self.form
        form.addRow(tr("Name:"), self.name)
        form.addRow(tr("Mode:"), self.mode)
        form.addRow(tr("IPv4 address:"), self.address)
        form.addRow(tr("DHCP start:"), self.dhcp_start)
        form.addRow(tr("DHCP end:"), self.dhcp_end)
        note = dim(
            plain_label(
                tr("Leave both DHCP fields empty for a network without DHCP."), selectable=False
            )
        )
        form.addRow(note)
        if uri:
            self.command_view = command_row(
                form,
                self.command,
                self.name.textChanged,
                self.mode.currentIndexChanged,
                self.address.textChanged,
                self.dhcp_start.textChanged,
                self.dhcp_end.textChanged,
            )

    def command(self) -> Command | None:
        """The virsh commands that add the same network; None for invalid input."""
        name, address, start, end, mode = self.values()
        try:
            iface, dhcp = validate_new_network(self.existing, name, address, start, end, mode)
        except InvalidNetworkInput:
            return None
        return virsh_commands.net_define(self.uri, name, network_xml(name, iface, dhcp, mode))

    def values(self) -> tuple[str, str, str, str, str]:
        """(name, address, DHCP start, DHCP end, mode)."""
        return (
            self.name.text(),
            self.address.text(),
            self.dhcp_start.text(),
            self.dhcp_end.text(),
            str(self.mode.currentData()),
        )

    def problem(self) -> str:
        name, address, start, end, mode = self.values()
        try:
            validate_new_network(self.existing, name, address, start, end, mode)
        except InvalidNetworkInput as exc:
            return input_message(exc)
        return ""
