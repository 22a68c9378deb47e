"""CPUs: current and maximum vCPUs, topology, model.

Only the current count changes on a running guest (``setVcpusFlags`` up to
the maximum it started with); the maximum, topology and model take effect
at the next boot.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from kvmdesk.domxml.hardware import CpuSettings, read_cpu, write_cpu
from kvmdesk.ui.common.flow_layout import FlowLayout, flow_policy
from kvmdesk.ui.common.widgets import plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm
from kvmdesk.virt.hardware import LiveOp, OpKind
from kvmdesk.virt.hardware_input import check_cpu

_SPIN_LIMIT = 4096  # above any host: the check says what the host allows


def _spin(maximum: int = _SPIN_LIMIT) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    return spin


class CpuForm(HardwareForm):
    def __init__(self, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("CPUs"), parent)
        self.current = _spin()
        self.maximum = _spin()
        self.mode = QComboBox()
        self.mode.addItem(self.tr("Hypervisor default"), "")
        labels = {
            "host-passthrough": self.tr("Copy the host CPU (host-passthrough)"),
            "host-model": self.tr("Like the host CPU (host-model)"),
            "maximum": self.tr("Everything the hypervisor can emulate (maximum)"),
        }
        for mode in ctx.offer.cpu_modes:
            self.mode.addItem(labels.get(mode, mode), mode)
        for model in ctx.offer.cpu_models:
            self.mode.addItem(model, f"custom:{model}")
        self.manual_topology = QCheckBox(self.tr("Set the topology by hand"))
        self.sockets, self.cores, self.threads = _spin(), _spin(), _spin()
        topology = QWidget()
        topology.setSizePolicy(flow_policy())
        row = FlowLayout(topology)  # in a narrow pane the pairs go onto more lines
        row.setContentsMargins(0, 0, 0, 0)
        for label, spin in (
            (self.tr("Sockets:"), self.sockets),
            (self.tr("Cores:"), self.cores),
            (self.tr("Threads:"), self.threads),
        ):
            pair = QWidget()
            pair_row = QHBoxLayout(pair)
            pair_row.setContentsMargins(0, 0, 0, 0)
            pair_row.addWidget(_label(label, wrap=False))
            pair_row.addWidget(spin)
            row.addWidget(pair)
        self.add_row(self.tr("Current vCPUs:"), self.current)
        self.add_row(self.tr("Maximum vCPUs:"), self.maximum)
        self.limit = _label("")
        self.form.addRow(self.limit)
        self.add_row(self.tr("Model:"), self.mode)
        self.form.addRow(self.manual_topology)
        self.form.addRow(topology)
        for spin in (self.current, self.maximum, self.sockets, self.cores, self.threads):
            spin.valueChanged.connect(self.emit_changed)
        self.mode.currentIndexChanged.connect(self.emit_changed)
        self.manual_topology.toggled.connect(self._topology_toggled)
        self.limit.setText(
            self.tr("This host allows up to {0} vCPUs for this virtual machine.").format(
                ctx.offer.max_vcpus
            )
        )
        self._live: CpuSettings | None = None
        self._stored: CpuSettings | None = None

    def _topology_toggled(self, on: bool) -> None:
        for spin in (self.sockets, self.cores, self.threads):
            spin.setEnabled(on)
        self.emit_changed()

    def values(self) -> CpuSettings:
        data = str(self.mode.currentData() or "")
        mode, model = ("custom", data[7:]) if data.startswith("custom:") else (data, "")
        manual = self.manual_topology.isChecked()
        return CpuSettings(
            current=self.current.value(),
            maximum=self.maximum.value(),
            mode=mode,
            model=model,
            sockets=self.sockets.value() if manual else None,
            cores=self.cores.value() if manual else None,
            threads=self.threads.value() if manual else None,
        )

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        cpu = read_cpu(stored)
        self._stored = cpu
        self._live = read_cpu(live) if live is not None else None
        self.current.setValue(cpu.current)
        self.maximum.setValue(cpu.maximum)
        key = f"custom:{cpu.model}" if cpu.mode == "custom" else cpu.mode
        if self.mode.findData(key) < 0:
            self.mode.addItem(cpu.model or cpu.mode, key)
        self.mode.setCurrentIndex(self.mode.findData(key))
        manual = cpu.topology is not None
        self.manual_topology.setChecked(manual)
        self._topology_toggled(manual)
        sockets, cores, threads = cpu.topology or (1, cpu.maximum, 1)
        self.sockets.setValue(sockets)
        self.cores.setValue(cores)
        self.threads.setValue(threads)
        super().load(stored, live)

    def check(self) -> None:
        check_cpu(self.values(), self.ctx.offer)

    def edit(self, root: ET.Element) -> None:
        write_cpu(root, self.values())

    def live_ops(self, live: ET.Element) -> tuple[LiveOp, ...] | None:
        new = self.values()
        old = self._loaded
        if not isinstance(old, CpuSettings):
            return None
        if (new.maximum, new.mode, new.model, new.topology) != (
            old.maximum,
            old.mode,
            old.model,
            old.topology,
        ):
            return None
        if self._live is not None and new.current > self._live.maximum:
            return None
        return (LiveOp(OpKind.VCPUS, value=new.current),)

    def pending(self) -> bool:
        if self._live is None or self._stored is None:
            return False
        return (self._live.current, self._live.maximum) != (
            self._stored.current,
            self._stored.maximum,
        )


def _label(text: str, wrap: bool = True) -> QLabel:
    return plain_label(text, selectable=False, wrap=wrap)
