"""The New VM wizard's memory and CPUs page: defaults from the chosen
operating system, bounded by what the host and its firmware allow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QVBoxLayout

from kvmdesk.core.messages import tr
from kvmdesk.domxml.install import SourceKind
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.new_vm.base import CheckedPage
from kvmdesk.ui.new_vm.fields import PageId, form_layout
from kvmdesk.ui.new_vm.wording import input_message
from kvmdesk.virt import provision as pv
from kvmdesk.virt.osinfo import OsRecord

if TYPE_CHECKING:
    from kvmdesk.ui.new_vm.wizard import NewVmWizard


class ResourcesPage(CheckedPage):
    def __init__(self, wizard: NewVmWizard) -> None:
        super().__init__(wizard)
        self.setTitle(tr("Memory and CPUs"))
        self.setSubTitle(tr("How much of the host the virtual machine may use."))
        self.memory = QLineEdit()
        self.vcpus = QLineEdit()
        for edit in (self.memory, self.vcpus):
            edit.setMaximumWidth(160)
        self.memory_note = dim(plain_label())
        self.vcpus_note = dim(plain_label())
        form = form_layout()
        form.addRow(tr("Memory (MiB):"), self.memory)
        form.addRow("", self.memory_note)
        form.addRow(tr("CPUs:"), self.vcpus)
        form.addRow("", self.vcpus_note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._os_seen: OsRecord | None = None

    def memory_limit(self) -> int:
        facts = self.vm.facts
        return facts.limits.memory_mib if facts is not None else 0

    def vcpu_limit(self) -> int:
        facts = self.vm.facts
        if facts is None:
            return 0
        limit = facts.limits.cpus
        if self.vm.firmware is not None and self.vm.firmware.max_vcpus:
            limit = min(limit, self.vm.firmware.max_vcpus)
        return limit

    def initializePage(self) -> None:
        record = self.vm.media_page.os_record()
        if record is not None and record != self._os_seen:
            self._os_seen = record
            memory = max(record.rec_ram_mib, record.min_ram_mib, 512)
            if self.memory_limit():
                memory = min(memory, max(self.memory_limit() // 2, 128))
            # Two where the host has them (as virt-manager), more if the OS needs it.
            cpus = min(max(record.min_cpus, 2), self.vcpu_limit() or 2)
            self.memory.setText(str(memory))
            self.vcpus.setText(str(cpus))
        self.memory_note.setText(tr("Up to {0} MiB on this host.").format(self.memory_limit()))
        self.vcpus_note.setText(tr("Up to {0} on this host.").format(self.vcpu_limit()))
        self.say("")

    def memory_mib(self) -> int:
        return pv.parse_count(self.memory.text(), "memory", self.memory_limit())

    def vcpu_count(self) -> int:
        return pv.parse_count(self.vcpus.text(), "vcpus", self.vcpu_limit())

    def local_problem(self) -> str:
        problems = []
        for parse in (self.memory_mib, self.vcpu_count):
            try:
                parse()
            except pv.PlanInputError as exc:
                problems.append(input_message(exc))
        return "\n".join(problems)

    def nextId(self) -> int:
        if self.vm.source_page.kind() is SourceKind.IMPORT:
            return int(PageId.NETWORK)
        return int(PageId.STORAGE)
