"""Several virtual machines selected: what they have in common, and what can be done.

Instead of "Select a virtual machine", the pane lists the selected
machines (name, state, vCPUs, memory, host), sums their vCPUs and memory,
says which state they share, and offers the actions that apply to all of
them (the main window's own actions, so they stay enabled and disabled
with the selection).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget

from kvmdesk.core import messages
from kvmdesk.core.messages import tr
from kvmdesk.models.columns import format_memory
from kvmdesk.ui.common.flow_layout import FlowLayout, flow_policy
from kvmdesk.ui.common.selection import Selected
from kvmdesk.ui.common.widgets import Section, TableSection, fill_page, plain_label, scaled_font


class SelectionOverview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label(selectable=False)
        self.title.setFont(scaled_font(self.font(), 1.3))
        self.common = Section(tr("Together"))
        self.states = self.common.add_row(tr("State:"))
        self.vcpus = self.common.add_row(tr("vCPUs:"))
        self.memory = self.common.add_row(tr("Memory:"))
        self.hosts = self.common.add_row(tr("Connections:"))
        self.actions_section = Section(tr("Actions"))
        self._buttons = QWidget()
        self._buttons.setSizePolicy(flow_policy())
        self._buttons_layout = FlowLayout(self._buttons)  # wraps in a narrow pane
        self._buttons_layout.setContentsMargins(0, 0, 0, 0)
        self.actions_section.add_widget(self._buttons)
        self.table = TableSection(
            tr("Virtual machines"), [tr("Name"), tr("State"), tr("vCPUs"), tr("Memory")], ""
        )
        fill_page(self, self.title, [self.common, self.actions_section, self.table])

    def set_selection(self, selected: Sequence[Selected], actions: Sequence[QAction]) -> None:
        count = len(selected)
        self.title.setText(tr("%n virtual machine(s) selected", None, count))
        states = sorted({messages.state_label(s.record.state) for s in selected})
        self.common.set_row(
            self.states,
            states[0] if len(states) == 1 else tr("mixed: {0}").format(", ".join(states)),
        )
        self.common.set_row(
            self.vcpus, tr("{0} in all").format(sum(s.record.vcpus for s in selected))
        )
        self.common.set_row(
            self.memory,
            tr("{0} in all").format(format_memory(sum(s.record.memory_kib for s in selected))),
        )
        hosts = sorted({messages.connection_label(s.conn) for s in selected})
        self.common.set_row(self.hosts, ", ".join(hosts))
        self.table.set_rows(
            [
                [
                    s.record.name,
                    messages.state_label(s.record.state),
                    str(s.record.vcpus),
                    format_memory(s.record.memory_kib),
                ]
                for s in sorted(selected, key=lambda s: s.record.name)
            ],
            stretch=0,
        )
        while self._buttons_layout.count():
            item = self._buttons_layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self._buttons_layout.addWidget(button)

    def action_buttons(self) -> list[QToolButton]:
        found = []
        for i in range(self._buttons_layout.count()):
            item = self._buttons_layout.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QToolButton):
                found.append(widget)
        return found
