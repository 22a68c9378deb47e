"""The Hardware tab against the real libvirtd and QEMU, locally and over qemu+ssh.

* A shut-off guest's vCPUs, memory and boot order change for its next
  boot; its VNC password survives (the define base is the secure XML).
* A running guest gets vCPUs (``setVcpusFlags``), the balloon
  (``setMemoryFlags``) and a CD-ROM medium inserted and ejected
  (``updateDeviceFlags``) live and in its definition.
* A NIC and a disk (a volume created in a pool) are hot-added and
  hot-unplugged; the unplug waits until QEMU releases the device.
* A change made by ``virsh`` between loading and Apply is detected and
  not overwritten.
* The same tab over ``qemu+ssh://`` changes a running guest.
"""

from __future__ import annotations

import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import libvirt
import pytest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from kvmdesk.core.connection import Connection
from kvmdesk.domxml.hardware import read_cpu, read_memory, set_link_up
from kvmdesk.ui.domain.hardware.boot_form import BootForm
from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.display_forms import GraphicsForm
from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage
from kvmdesk.ui.domain.hardware.memory_form import MemoryForm
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.virt import storage
from kvmdesk.virt.hardware import LiveOp, OpKind, Scope, apply_hardware, fetch_hardware

try:
    from .conftest import TEST_URI, new_guest_name, virsh_secure_xml
    from .conftest_pools import ScratchPool, test_pool
    from .conftest_ssh import HOST, SshBed
    from .guest import READY_MARKER, GuestAssets, SerialConsole, guest_domain_xml
except ImportError:
    from conftest import TEST_URI, new_guest_name, virsh_secure_xml  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from conftest_ssh import HOST, SshBed  # type: ignore[no-redef]
    from guest import (  # type: ignore[no-redef]
        READY_MARKER,
        GuestAssets,
        SerialConsole,
        guest_domain_xml,
    )

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]
PASSWORD = "hwpass-1"


def _guest_xml(name: str, assets: GuestAssets) -> str:
    """The test guest with 1 of 2 vCPUs, a balloon, an empty IDE CD-ROM and a VNC password."""
    root = ET.fromstring(guest_domain_xml(name, assets))
    vcpu = root.find("vcpu")
    assert vcpu is not None
    vcpu.text, vcpu.attrib["current"] = "2", "1"
    devices = root.find("devices")
    assert devices is not None
    for balloon in devices.findall("memballoon"):
        balloon.set("model", "virtio")
    cdrom = ET.SubElement(devices, "disk", type="file", device="cdrom")
    ET.SubElement(cdrom, "driver", name="qemu", type="raw")
    ET.SubElement(cdrom, "target", dev="hdc", bus="ide")
    ET.SubElement(cdrom, "readonly")
    graphics = devices.find("graphics")
    assert graphics is not None
    graphics.set("passwd", PASSWORD)
    return ET.tostring(root, encoding="unicode")


@pytest.fixture
def guest(libvirt_conn: Any, guest_assets: GuestAssets) -> Iterator[Any]:
    name = new_guest_name()
    dom = libvirt_conn.defineXML(_guest_xml(name, guest_assets))
    yield dom
    try:
        if dom.isActive():
            dom.destroy()
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)
    except libvirt.libvirtError:
        pass


def _boot(conn: Any, dom: Any) -> None:
    """Start ``dom`` and wait for its shell: a guest still booting ignores unplug requests."""
    dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
    console = SerialConsole(conn, dom)
    try:
        dom.resume()
        console.wait_for(READY_MARKER, 120)
    finally:
        console.close()


def _page(qtbot: Any, conn: Connection, uuid: str, wait_until: Any) -> HardwarePage:
    page = HardwarePage()
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: page.state is not None and bool(page.forms), 30, "the forms")
    return page


def _form(page: HardwarePage, kind: type, nth: int = 0) -> Any:
    form = [f for f in page.forms if type(f) is kind][nth]
    page.select_form(form)
    return form


def _apply(page: HardwarePage, wait_until: Any) -> str:
    generation = page.generation
    page.apply_button.click()
    wait_until(
        lambda: (
            page.generation > generation
            and page.message.text() not in ("", "Checking…", "Saving…", "Loading…")
        ),
        60,
        "the apply",
    )
    return page.message.text()


def _connection(manager: Any, run: Any, uri: str) -> Connection:
    conn: Connection = manager.add(uri, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn


def test_next_boot_edit_keeps_the_password(
    guest: Any, manager: Any, run: Any, wait_until: Any, qtbot: Any
) -> None:
    conn = _connection(manager, run, TEST_URI)
    page = _page(qtbot, conn, guest.UUIDString(), wait_until)
    _form(page, CpuForm).current.setValue(2)
    _form(page, MemoryForm).current.setValue(96)
    boot = _form(page, BootForm)
    boot.menu.setChecked(True)
    boot.devices.item(0).setCheckState(boot.devices.item(0).checkState().Checked)
    assert _apply(page, wait_until) == "Saved."
    stored = virsh_secure_xml(guest.name())
    root = ET.fromstring(stored)
    assert read_cpu(root).current == 2 and read_memory(root).current == 96 * 1024
    assert root.find("os/bootmenu").get("enable") == "yes"  # type: ignore[union-attr]
    assert root.find("devices/disk/boot").get("order") == "1"  # type: ignore[union-attr]
    assert f"passwd='{PASSWORD}'" in stored


def test_running_guest_vcpus_balloon_and_media(
    guest: Any,
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
    test_pool: ScratchPool,
) -> None:
    iso = test_pool.add_file("media.iso", b"\0" * 2048 * 16)
    guest.create()
    conn = _connection(manager, run, TEST_URI)
    page = _page(qtbot, conn, guest.UUIDString(), wait_until)
    assert page.live_root is not None
    _form(page, CpuForm).current.setValue(2)
    assert page.chosen_scope() == Scope.BOTH
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    assert guest.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE) == 2
    assert guest.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_CONFIG) == 2

    _form(page, MemoryForm).current.setValue(96)
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    assert read_memory(ET.fromstring(guest.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))).current == (
        96 * 1024
    )

    cdrom = _form(page, DiskForm)
    assert cdrom.media
    cdrom.source.setText(str(iso))
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    live_cdrom = ET.fromstring(guest.XMLDesc(0)).find("devices/disk[@device='cdrom']/source")
    assert live_cdrom is not None and live_cdrom.get("file") == str(iso)
    cdrom = _form(page, DiskForm)
    cdrom.eject.click()
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    ejected = ET.fromstring(guest.XMLDesc(0)).find("devices/disk[@device='cdrom']/source")
    assert ejected is None or not ejected.get("file")
    assert f"passwd='{PASSWORD}'" in virsh_secure_xml(guest.name())

    display = _form(page, GraphicsForm)
    display.password.setText("newpass1")
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    assert "passwd='newpass1'" in guest.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)  # live
    assert "passwd='newpass1'" in virsh_secure_xml(guest.name())


def test_hot_add_and_unplug_a_nic_and_a_new_disk(
    guest: Any, libvirt_conn: Any, test_pool: ScratchPool
) -> None:
    _boot(libvirt_conn, guest)
    uuid = guest.UUIDString()
    volume = storage.create_volume(libvirt_conn, test_pool.name, "hot.qcow2", 0.05, "qcow2")
    disk = (
        f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        f"<source file='{volume.path}'/><target dev='vdb' bus='virtio'/></disk>"
    )
    nic = (
        "<interface type='user'><mac address='52:54:00:e1:00:01'/><model type='e1000'/></interface>"
    )
    state = fetch_hardware(libvirt_conn, uuid)
    root = ET.fromstring(state.stored)
    devices = root.find("devices")
    assert devices is not None
    devices.append(ET.fromstring(disk))
    devices.append(ET.fromstring(nic))
    edited = ET.tostring(root, encoding="unicode")
    ops = (LiveOp(OpKind.ATTACH, xml=disk), LiveOp(OpKind.ATTACH, xml=nic))
    outcome = apply_hardware(libvirt_conn, uuid, state.stored, edited, ops, Scope.BOTH)
    assert outcome.stored and outcome.live_done == ops and not outcome.live_failed
    live = guest.XMLDesc(0)
    assert "hot.qcow2" in live and "52:54:00:e1:00:01" in live

    # The NIC's link goes down now (the cable pulled), through the page's own op.
    state = fetch_hardware(libvirt_conn, uuid)
    assert state.live is not None
    twin = next(
        n
        for n in ET.fromstring(state.live).findall("devices/interface")
        if "52:54:00:e1:00:01" in ET.tostring(n, "unicode")
    )
    set_link_up(twin, False)
    link = LiveOp(OpKind.UPDATE, xml=ET.tostring(twin, "unicode"))
    outcome = apply_hardware(libvirt_conn, uuid, state.stored, state.stored, (link,), Scope.LIVE)
    assert outcome.live_done == (link,), outcome.live_failed
    assert "<link state='down'/>" in guest.XMLDesc(0)

    state = fetch_hardware(libvirt_conn, uuid)
    assert state.live is not None
    live = ET.fromstring(state.live)
    unplug = []
    for node in live.findall("devices/disk") + live.findall("devices/interface"):
        text = ET.tostring(node, encoding="unicode")
        if "hot.qcow2" in text or "52:54:00:e1:00:01" in text:
            alias = node.find("alias")
            assert alias is not None
            unplug.append(LiveOp(OpKind.DETACH, xml=text, alias=alias.get("name", "")))
    assert len(unplug) == 2
    outcome = apply_hardware(
        libvirt_conn, uuid, state.stored, state.stored, tuple(unplug), Scope.LIVE
    )
    assert outcome.live_done == tuple(unplug), outcome.live_failed
    after = guest.XMLDesc(0)
    assert "hot.qcow2" not in after and "52:54:00:e1:00:01" not in after
    assert "hot.qcow2" in guest.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)  # still at next boot
    assert "hot.qcow2" in test_pool.volumes()  # unplugging never deletes storage


def test_a_change_by_virsh_meanwhile_is_not_overwritten(
    guest: Any, manager: Any, run: Any, wait_until: Any, qtbot: Any
) -> None:
    conn = _connection(manager, run, TEST_URI)
    page = _page(qtbot, conn, guest.UUIDString(), wait_until)
    _form(page, CpuForm).current.setValue(2)
    subprocess.run(
        ["virsh", "-c", TEST_URI, "desc", guest.name(), "--config", "--new-desc", "set by virsh"],
        check=True,
        capture_output=True,
    )
    theirs = virsh_secure_xml(guest.name())
    page.apply_button.click()
    wait_until(lambda: isinstance(page.dialog, CompareDialog), 30, "the comparison")
    dialog = page.dialog
    assert isinstance(dialog, CompareDialog)
    texts = " ".join(e.toPlainText() for e in dialog.findChildren(QPlainTextEdit))
    assert "set by virsh" in texts and PASSWORD not in texts
    assert virsh_secure_xml(guest.name()) == theirs
    dialog.reject()
    QApplication.processEvents()
    assert read_cpu(ET.fromstring(theirs)).current == 1


def test_running_guest_over_ssh(
    ssh_bed: SshBed,
    guest: Any,
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
    test_pool: ScratchPool,
) -> None:
    iso = test_pool.add_file("remote.iso", b"\0" * 2048 * 16)
    guest.create()
    conn = _connection(manager, run, f"qemu+ssh://{HOST}/system")
    page = _page(qtbot, conn, guest.UUIDString(), wait_until)
    assert page.state is not None and PASSWORD in page.state.stored  # secure, over ssh too
    _form(page, CpuForm).current.setValue(2)
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    assert guest.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE) == 2
    assert f"passwd='{PASSWORD}'" in virsh_secure_xml(guest.name())

    # The storage browser lists the remote host's pools: insert a medium from one.
    cdrom = _form(page, DiskForm)
    cdrom.source.browse.click()
    wait_until(lambda: cdrom.source.picker is not None, 30, "the storage browser")
    picker = cdrom.source.picker
    assert picker is not None
    picker.pool.setCurrentIndex(picker.pool.findData(test_pool.name))
    wait_until(lambda: picker.volumes.count() > 0, 30, "the pool's volumes")
    picker.volumes.setCurrentRow(0)
    picker.buttons.button(picker.buttons.StandardButton.Ok).click()
    wait_until(lambda: cdrom.source.text() == str(iso), 30, "the chosen volume")
    assert _apply(page, wait_until) == "Applied now and saved for the next boot."
    live = ET.fromstring(guest.XMLDesc(0)).find("devices/disk[@device='cdrom']/source")
    assert live is not None and live.get("file") == str(iso)


def test_a_device_the_guest_does_not_release_is_said(
    guest: Any, libvirt_conn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvmdesk.ui.domain.hardware.hardware_words import outcome_text
    from kvmdesk.virt import hardware

    _boot(libvirt_conn, guest)
    uuid = guest.UUIDString()
    nic = (
        "<interface type='user'><mac address='52:54:00:e1:00:02'/><model type='e1000'/></interface>"
    )
    state = fetch_hardware(libvirt_conn, uuid)
    outcome = apply_hardware(
        libvirt_conn,
        uuid,
        state.stored,
        state.stored,
        (LiveOp(OpKind.ATTACH, xml=nic),),
        Scope.LIVE,
    )
    assert outcome.live_done and not outcome.live_failed
    live = ET.fromstring(guest.XMLDesc(0))
    node = next(
        n for n in live.findall("devices/interface") if "e1:00:02" in ET.tostring(n, "unicode")
    )
    alias = node.find("alias")
    assert alias is not None
    detach = LiveOp(OpKind.DETACH, xml=ET.tostring(node, "unicode"), alias=alias.get("name", ""))
    guest.suspend()  # a paused guest cannot answer the unplug request
    monkeypatch.setattr(hardware, "DETACH_WAIT_S", 2.0)
    outcome = apply_hardware(libvirt_conn, uuid, state.stored, state.stored, (detach,), Scope.LIVE)
    assert outcome.live_failed and outcome.live_failed[0][0] == detach
    assert "52:54:00:e1:00:02" in guest.XMLDesc(0)  # still there
    text = outcome_text(outcome, Scope.LIVE)
    assert "Could not remove the device now: the guest did not release the device" in text
    guest.resume()  # once it runs, the guest lets the device go

    deadline = time.monotonic() + 30
    while "52:54:00:e1:00:02" in guest.XMLDesc(0):
        assert time.monotonic() < deadline, "the guest never released the NIC"
        time.sleep(0.25)
