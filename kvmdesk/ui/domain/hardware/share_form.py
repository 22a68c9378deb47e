"""A folder of the host shared with the guest: virtiofs or 9p.

The folder on the host, the tag the guest mounts it by, read-only, and the
driver: virtiofs (fast, needs the guest's memory shared with virtiofsd) or
9p (QEMU serves it itself; how file owners map is the access mode). A
virtiofs share of a guest without shared memory offers to turn it on: the
Memory form then refuses to turn it off while the share exists. All of it
takes effect at the next boot.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QWidget

from kvmdesk.core.messages import tr
from kvmdesk.domxml import Filesystem
from kvmdesk.domxml.hardware import set_shared_memory, shared_memory
from kvmdesk.ui.common.widgets import dim, plain_label
from kvmdesk.ui.domain.hardware.form_base import FormContext
from kvmdesk.ui.domain.hardware.typed_form import TypedDeviceForm, chosen, combo, select
from kvmdesk.virt.plan_input import PlanInputError

DRIVERS = ("virtiofs", "path")  # "path" is 9p (QEMU's own server)
ACCESS_MODES = ("", "passthrough", "mapped", "squash")


@dataclass(frozen=True)
class ShareValues:
    driver: str
    source_dir: str
    target_dir: str
    readonly: bool
    accessmode: str
    turn_on_shared: bool


def driver_choice() -> QComboBox:
    box = combo(DRIVERS)
    box.setItemText(box.findData("virtiofs"), tr("virtiofs (needs shared memory)"))
    box.setItemText(box.findData("path"), tr("9p (virtio-9p)"))
    return box


def check_share(source_dir: str, target_dir: str) -> None:
    if not source_dir:
        raise PlanInputError("share_source", "empty", "")
    if not source_dir.startswith("/"):
        raise PlanInputError("share_source", "relative", source_dir)
    if not target_dir:
        raise PlanInputError("share_target", "empty", "")


class ShareForm(TypedDeviceForm[Filesystem]):
    device_class = Filesystem

    def __init__(self, ctx: FormContext, index: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, index, self.tr("Filesystem Share"), parent)
        self.driver = driver_choice()
        self.source = QLineEdit()
        self.target = QLineEdit()
        self.readonly = QCheckBox(self.tr("Read-only"))
        self.accessmode = combo(ACCESS_MODES)
        self.shared_note = dim(
            plain_label(self.tr("virtiofs needs the guest's memory to be shared; it is not now."))
        )
        self.turn_on = QPushButton(self.tr("Turn On Shared Memory"))
        self.turn_on.setCheckable(True)
        self.add_row(self.tr("Driver:"), self.driver)
        self.add_row(self.tr("Host folder:"), self.source)
        self.add_row(self.tr("Mount tag in the guest:"), self.target)
        self.form.addRow(self.readonly)
        self.add_row(self.tr("Access mode (9p):"), self.accessmode)
        self.form.addRow(self.shared_note)
        self.form.addRow(self.turn_on)
        self.driver.currentIndexChanged.connect(self._driver_changed)
        self.source.textChanged.connect(self.emit_changed)
        self.target.textChanged.connect(self.emit_changed)
        self.readonly.toggled.connect(self.emit_changed)
        self.accessmode.currentIndexChanged.connect(self.emit_changed)
        self.turn_on.toggled.connect(self._driver_changed)
        self._shared = False
        self._accessmode = ""
        self._written_driver = "virtiofs"

    def _driver_changed(self, *_args: object) -> None:
        virtiofs = chosen(self.driver) == "virtiofs"
        self.accessmode.setEnabled(not virtiofs)
        wanted = virtiofs and not self._shared
        self.shared_note.setVisible(wanted)
        self.turn_on.setVisible(wanted)
        if self.turn_on.isChecked():
            self.shared_note.setText(self.tr("Shared memory is turned on with this change."))
        else:
            self.shared_note.setText(
                self.tr("virtiofs needs the guest's memory to be shared; it is not now.")
            )
        self.emit_changed()

    def values(self) -> ShareValues:
        virtiofs = chosen(self.driver) == "virtiofs"
        return ShareValues(
            driver=self._driver(),
            source_dir=self.source.text().strip(),
            target_dir=self.target.text().strip(),
            readonly=self.readonly.isChecked(),
            # virtiofs knows passthrough only
            accessmode=chosen(self.accessmode) if not virtiofs else self._virtiofs_access(),
            turn_on_shared=virtiofs and not self._shared and self.turn_on.isChecked(),
        )

    def _driver(self) -> str:
        """9p written without a driver type stays so while 9p is chosen."""
        driver = chosen(self.driver)
        return "" if driver == "path" and not self._written_driver else driver

    def _virtiofs_access(self) -> str:
        return self._accessmode if self._accessmode in ("", "passthrough") else "passthrough"

    def fill(self, device: Filesystem) -> None:
        root = self.stored_root
        self._shared = shared_memory(root) if root is not None else False
        self._accessmode = device.accessmode
        self._written_driver = device.driver_type
        select(self.driver, device.driver_type or "path")
        self.source.setText(device.source_dir)
        self.target.setText(device.target_dir)
        self.readonly.setChecked(device.readonly)
        select(self.accessmode, device.accessmode)
        self.turn_on.setChecked(False)
        self._driver_changed()

    def check(self) -> None:
        values = self.values()
        check_share(values.source_dir, values.target_dir)

    def write(self, device: Filesystem, values: ShareValues, loaded: ShareValues) -> None:
        if values.driver != loaded.driver:
            device.driver_type = values.driver
        if values.source_dir != loaded.source_dir:
            device.source_dir = values.source_dir
        if values.target_dir != loaded.target_dir:
            device.target_dir = values.target_dir
        if values.readonly != loaded.readonly:
            device.readonly = values.readonly
        if values.accessmode != loaded.accessmode:
            device.accessmode = values.accessmode

    def edit(self, root: ET.Element) -> None:
        super().edit(root)
        if self.values().turn_on_shared:
            set_shared_memory(root, True)


def virtiofs_share(root: ET.Element) -> str:
    """The mount tag of a virtiofs share of ``root``; "" when it has none."""
    for element in root.findall("devices/filesystem"):
        share = Filesystem.from_element(element)
        if share.virtiofs:
            return share.target_dir or share.source_dir
    return ""
