"""Memory: current (the balloon's target) and maximum, in MiB; shared memory.

Only the current amount changes on a running guest (``setMemoryFlags``,
the balloon, up to the maximum it started with); the maximum and shared
memory (which virtiofs needs) take effect at the next boot. Shared memory
cannot be turned off while a virtiofs share needs it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QCheckBox, QSpinBox, QWidget

from kvmdesk.domxml.hardware import MemorySettings, read_memory, write_memory
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext, HardwareForm
from kvmdesk.ui.domain.hardware.share_form import virtiofs_share
from kvmdesk.virt.hardware import LiveOp, OpKind
from kvmdesk.virt.hardware_input import PlanInputError, check_memory


def _mib_spin() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 2**31 - 1)  # the check says what the host allows
    spin.setSuffix(" MiB")
    spin.setSingleStep(128)
    return spin


class MemoryForm(HardwareForm):
    def __init__(self, ctx: FormContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Memory"), parent)
        self.current = _mib_spin()
        self.maximum = _mib_spin()
        self.shared = QCheckBox(self.tr("Shared memory (needed by virtiofs shares)"))
        self.add_row(self.tr("Current memory:"), self.current)
        self.add_row(self.tr("Maximum memory:"), self.maximum)
        self.form.addRow(
            dim(
                plain_label(
                    self.tr("This host has {0} MiB of memory.").format(
                        ctx.offer.host_memory_kib // 1024
                    )
                )
            )
        )
        self.form.addRow(self.shared)
        self.current.valueChanged.connect(self.emit_changed)
        self.maximum.valueChanged.connect(self.emit_changed)
        self.shared.toggled.connect(self.emit_changed)
        self._stored: MemorySettings | None = None
        self._live: MemorySettings | None = None
        self._exact: MemorySettings | None = None  # as stored, to KiB
        self._virtiofs = ""  # the tag of a virtiofs share, which needs shared memory

    def values(self) -> MemorySettings:
        exact = self._exact
        current = self.current.value() * 1024
        maximum = self.maximum.value() * 1024
        if exact is not None:  # amounts left alone keep their odd KiB
            current = exact.current if self.current.value() == exact.current // 1024 else current
            maximum = exact.maximum if self.maximum.value() == exact.maximum // 1024 else maximum
        return MemorySettings(current=current, maximum=maximum, shared=self.shared.isChecked())

    def load(self, stored: ET.Element, live: ET.Element | None) -> None:
        memory = read_memory(stored)
        self._exact = self._stored = memory
        self._live = read_memory(live) if live is not None else None
        self._virtiofs = virtiofs_share(stored)
        self.current.setValue(memory.current // 1024)
        self.maximum.setValue(memory.maximum // 1024)
        self.shared.setChecked(memory.shared)
        super().load(stored, live)

    def check(self) -> None:
        values = self.values()
        if self._virtiofs and self._loaded.shared and not values.shared:
            raise PlanInputError("shared_memory", "virtiofs", self._virtiofs)
        check_memory(values, self.ctx.offer)

    def edit(self, root: ET.Element) -> None:
        write_memory(root, self.values())

    def live_ops(self, live: ET.Element) -> tuple[LiveOp, ...] | None:
        new, old = self.values(), self._loaded
        if not isinstance(old, MemorySettings) or (new.maximum, new.shared) != (
            old.maximum,
            old.shared,
        ):
            return None
        if self._live is not None and new.current > self._live.maximum:
            return None
        return (LiveOp(OpKind.MEMORY, value=new.current),)

    def pending(self) -> bool:
        if self._live is None or self._stored is None:
            return False
        return self._live.maximum != self._stored.maximum
