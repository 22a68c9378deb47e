"""The New VM wizard's network page: a virtual network, user-mode
networking, a host bridge or device, or none; and the MAC address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout

from kvmdesk.core.messages import tr
from kvmdesk.domxml.install import NetworkKind, random_mac
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.fields import PageId, form_layout
from kvmdesk.virt.shown import shown

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


class NetworkPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Network"))
        self.setSubTitle(tr("How the virtual machine reaches the network."))
        self.kind = QComboBox()
        self.source = QComboBox()
        self.source.setEditable(True)
        self.mac = QLineEdit()
        self.source_label = QLabel(tr("Network:"))
        form = form_layout()
        form.addRow(tr("Connect to:"), self.kind)
        form.addRow(self.source_label, self.source)
        form.addRow(tr("MAC address:"), self.mac)
        self.note = dim(plain_label())
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._filled = False

    def initializePage(self) -> None:
        if not self._filled:
            self._filled = True
            facts = self.vm.facts
            nets = list(facts.networks) if facts is not None else []
            if nets:
                self.kind.addItem(tr("Virtual network"), NetworkKind.NETWORK)
            if facts is not None and facts.session:
                self.kind.addItem(tr("User-mode networking"), NetworkKind.USER)
            self.kind.addItem(tr("Host bridge"), NetworkKind.BRIDGE)
            self.kind.addItem(tr("Host device (macvtap)"), NetworkKind.DIRECT)
            self.kind.addItem(tr("No network"), NetworkKind.NONE)
            self.mac.setText(random_mac())
            self._kind_changed()
        self.say("")

    def network_kind(self) -> NetworkKind:
        data = self.kind.currentData()
        return data if isinstance(data, NetworkKind) else NetworkKind.NONE

    def _kind_changed(self, *_args: object) -> None:
        kind = self.network_kind()
        self.source.clear()
        facts = self.vm.facts
        note = ""
        if kind is NetworkKind.NETWORK and facts is not None:
            first = self.vm.defaults.network or "default"  # Preferences may name another
            nets = sorted(
                facts.networks, key=lambda n: (n.name != first, n.name != "default", n.name)
            )
            for net in nets:
                label = (
                    shown(net.name)
                    if net.active
                    else tr("{0} (not running)").format(shown(net.name))
                )
                self.source.addItem(label, net.name)
            self.source.setEditable(False)
            self.source_label.setText(tr("Network:"))
            if nets and not nets[0].active:
                note = tr("The network starts with the VM only if it is running.")
        elif kind is NetworkKind.BRIDGE:
            self.source.setEditable(True)
            self.source.setEditText("br0")
            self.source_label.setText(tr("Bridge:"))
        elif kind is NetworkKind.DIRECT:
            self.source.setEditable(True)
            self.source.setEditText("eth0")
            self.source_label.setText(tr("Host device:"))
        has_source = kind in (NetworkKind.NETWORK, NetworkKind.BRIDGE, NetworkKind.DIRECT)
        self.source.setVisible(has_source)
        self.source_label.setVisible(has_source)
        self.mac.setEnabled(kind is not NetworkKind.NONE)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def source_name(self) -> str:
        if self.network_kind() is NetworkKind.NETWORK:
            return str(self.source.currentData() or "")
        return self.source.currentText().strip()

    def local_problem(self) -> str:
        kind = self.network_kind()
        if kind in (NetworkKind.BRIDGE, NetworkKind.DIRECT, NetworkKind.NETWORK):
            name = self.source_name()
            if not name:
                return tr("Choose what to connect to.")
            if any(ord(c) <= 32 for c in name) or "/" in name or name.startswith("-"):
                return tr("“{0}” is not a valid interface name.").format(name)
        if kind is not NetworkKind.NONE:
            mac = self.mac.text().strip().lower()
            parts = mac.split(":")
            if len(parts) != 6 or not all(
                len(p) == 2 and all(c in "0123456789abcdef" for c in p) for p in parts
            ):
                return tr("The MAC address must look like 52:54:00:12:34:56.")
            if int(parts[0], 16) & 1:
                return tr("The MAC address must not be a multicast address.")
        return ""

    def nextId(self) -> int:
        return int(PageId.SUMMARY)
