"""The XML of each device family the Hardware tab writes, against golden files.

Add Hardware… builds one device per kind; the forms rewrite a whole
definition (tests/data/hardware.xml's hw-off) with every editable field
changed. Compared after canonicalisation; regenerate after a deliberate
change with KVMDESK_UPDATE_GOLDEN=1, and read the difference.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.domxml.hardware import to_text
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
from kvmdesk.ui.domain.hardware.boot_form import BootForm
from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.display_forms import GraphicsForm, VideoForm
from kvmdesk.ui.domain.hardware.hardware_apply import edited_definition
from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage
from kvmdesk.ui.domain.hardware.memory_form import MemoryForm
from kvmdesk.ui.domain.hardware.nic_form import NicForm
from kvmdesk.virt.hardware_offer import HostOffer
from kvmdesk.virt.host_devices import HostDevice

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

GOLDEN = Path(__file__).parents[4] / "data" / "golden" / "hardware"
OFF = "2d2d2d2d-0000-4000-8000-000000000001"
OFFER = HostOffer(host_cpus=8, host_memory_kib=16 << 20, max_vcpus=8, tpm_emulator=True)
STORED = ET.fromstring(
    "<domain><devices><disk device='disk'><target dev='vda' bus='virtio'/></disk>"
    "<disk device='cdrom'><target dev='sda' bus='sata'/></disk></devices></domain>"
)


def canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True, rewrite_prefixes=True)


def check(name: str, xml: str) -> None:
    golden = GOLDEN / f"{name}.xml"
    if os.environ.get("KVMDESK_UPDATE_GOLDEN"):
        root = ET.fromstring(xml)
        ET.indent(root)
        golden.write_text(to_text(root, xml) + "\n", encoding="utf-8")
    assert canonical(xml) == canonical(golden.read_text(encoding="utf-8"))


def _fill(dialog: AddHardwareDialog, kind: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    if kind == "disk":
        dialog.path.setText("/var/lib/libvirt/images/data.qcow2")
    elif kind == "cdrom":
        dialog.path.setText("/iso/debian.iso")
        dialog.bus.setCurrentIndex(dialog.bus.findData("sata"))
    elif kind == "new-disk":
        dialog.pool.addItem("images", "images")
        dialog.volume_name.setText("new.qcow2")
        dialog.size_gib.setValue(20)
    elif kind == "nic":
        dialog.network.setCurrentText("default")
        dialog.mac.setText("52:54:00:12:34:56")


@pytest.mark.parametrize(
    "kind", ["disk", "cdrom", "new-disk", "nic", "serial", "agent", "rng", "tpm"]
)
def test_added_device(kind: str, qtbot: Any, open_connection: Callable[[str], Connection]) -> None:
    conn = open_connection("hardware.xml")
    dialog = AddHardwareDialog(None, conn, OFFER, STORED, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    _fill(dialog, kind)
    check(f"add-{kind}", ET.tostring(dialog.build(), encoding="unicode"))


@pytest.mark.parametrize(
    "device",
    [
        HostDevice("usb", "usb_1_4", "0x0781", "0x5567", "SanDisk Corp.", "Cruzer Blade"),
        HostDevice("pci", "pci_0000_00_1f_3", "0x8086", "0xa348", pci_address=(0, 0, 31, 3)),
    ],
    ids=["usb", "pci"],
)
def test_added_host_device(
    device: HostDevice, qtbot: Any, open_connection: Callable[[str], Connection]
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QListWidgetItem

    conn = open_connection("hardware.xml")
    dialog = AddHardwareDialog(None, conn, OFFER, STORED, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("host"))
    item = QListWidgetItem("device")
    item.setData(Qt.ItemDataRole.UserRole, device)
    dialog.host_devices.addItem(item)
    dialog.host_devices.setCurrentItem(item)
    check(f"add-hostdev-{device.kind}", ET.tostring(dialog.build(), encoding="unicode"))


def test_every_form_edited(
    qtbot: Any, aio_loop: Any, open_connection: Callable[[str], Connection], wait_until: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = HardwarePage()
    qtbot.addWidget(page)
    page.show_domain(conn, OFF)
    page.set_shown(True)
    wait_until(lambda: page.state is not None and bool(page.forms), what="the forms")
    assert page.state is not None

    def form(kind: type, nth: int = 0) -> Any:
        return [f for f in page.forms if type(f) is kind][nth]

    cpu = form(CpuForm)
    cpu.current.setValue(4)
    cpu.mode.setCurrentIndex(cpu.mode.findData("host-passthrough"))
    cpu.manual_topology.setChecked(True)
    cpu.sockets.setValue(1)
    cpu.cores.setValue(2)
    cpu.threads.setValue(2)
    memory = form(MemoryForm)
    memory.maximum.setValue(4096)
    memory.current.setValue(3072)
    memory.shared.setChecked(True)
    boot = form(BootForm)
    boot.devices.setCurrentRow(0)
    boot.move_device(1)
    boot.menu.setChecked(True)
    disk = form(DiskForm, 0)
    disk.cache.setCurrentIndex(disk.cache.findData("none"))
    disk.discard.setCurrentIndex(disk.discard.findData("unmap"))
    disk.serial.setText("ROOT-1")
    cdrom = form(DiskForm, 2)
    cdrom.source.setText("/iso/other.iso")
    nic = form(NicForm)
    nic.kind.setCurrentIndex(nic.kind.findData("bridge"))
    nic.source.setEditText("br0")
    nic.model.setCurrentIndex(nic.model.findData("e1000e"))
    nic.link.setChecked(False)
    display = form(GraphicsForm)
    display.autoport.setChecked(False)
    display.port.setValue(5905)
    video = form(VideoForm)
    video.model.setCurrentIndex(video.model.findData("qxl"))
    edited = edited_definition(page.state.stored, page.dirty_forms())
    check("edited-hw-off", edited)
    # What every form wrote, libvirt takes as it is.
    virt = libvirt.open("test:///default")
    try:
        root = ET.fromstring(edited)
        root.find("name").text = "golden-edited"  # type: ignore[union-attr]
        root.find("uuid").text = "2d2d2d2d-0000-4000-8000-0000000000ee"  # type: ignore[union-attr]
        dom = virt.defineXMLFlags(
            ET.tostring(root, encoding="unicode"), libvirt.VIR_DOMAIN_DEFINE_VALIDATE
        )
        dom.undefine()
    finally:
        virt.close()
