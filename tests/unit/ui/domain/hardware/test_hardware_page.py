"""The Hardware tab on the test driver: forms, Apply/Revert, now or next boot, conflicts."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import libvirt
import pytest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.ui.domain.details import DetailsPane
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
from kvmdesk.ui.domain.hardware.boot_form import BootForm
from kvmdesk.ui.domain.hardware.char_form import CharForm
from kvmdesk.ui.domain.hardware.choice_form import ChoiceForm
from kvmdesk.ui.domain.hardware.controller_form import ControllerForm
from kvmdesk.ui.domain.hardware.cpu_form import CpuForm
from kvmdesk.ui.domain.hardware.disk_form import DiskForm
from kvmdesk.ui.domain.hardware.display_forms import GraphicsForm, VideoForm
from kvmdesk.ui.domain.hardware.hardware_apply import edited_definition
from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage
from kvmdesk.ui.domain.hardware.hostdev_form import HostDevForm
from kvmdesk.ui.domain.hardware.memory_form import MemoryForm
from kvmdesk.ui.domain.hardware.nic_form import NicForm
from kvmdesk.ui.domain.hardware.share_form import ShareForm
from kvmdesk.ui.domain.xml.xml_diff_dialog import CompareDialog
from kvmdesk.ui.main.startup_request import DOMAIN_TABS, View
from kvmdesk.virt.commands import Note, file_name
from kvmdesk.virt.hardware import Scope
from kvmdesk.virt.shown import shown

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

OpenConn = Callable[[str], Connection]
OFF = "2d2d2d2d-0000-4000-8000-000000000001"
RUN = "2d2d2d2d-0000-4000-8000-000000000002"
TRANSIENT = "2d2d2d2d-0000-4000-8000-000000000004"


@pytest.fixture
def pane(qtbot: Any, aio_loop: Any) -> DetailsPane:
    widget = DetailsPane()
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    return widget


def _open(pane: DetailsPane, conn: Connection, uuid: str, wait_until: Any) -> HardwarePage:
    pane.show_domain(conn, uuid)
    pane.show_tab("hardware")
    page = pane.hardware_tab
    wait_until(
        lambda: page.state is not None and page.uuid == uuid and page.forms, what="the forms"
    )
    return page


def _form(page: HardwarePage, kind: type, nth: int = 0) -> Any:
    form = [f for f in page.forms if type(f) is kind][nth]
    page.select_form(form)
    return form


def _secure(conn: Connection, run: Any, uuid: str) -> str:
    def read(virt: libvirt.virConnect) -> str:
        return str(
            virt.lookupByUUIDString(uuid).XMLDesc(
                libvirt.VIR_DOMAIN_XML_SECURE | libvirt.VIR_DOMAIN_XML_INACTIVE
            )
        )

    return str(run(conn.call(read)))


def _apply_and_wait(page: HardwarePage, wait_until: Any, what: str) -> None:
    generation = page.generation
    page.apply_button.click()
    wait_until(
        lambda: (
            page.generation > generation
            and page.message.text() not in ("", "Checking…", "Saving…", "Loading…")
        ),
        what=what,
    )


def _answer(wait_until: Any, button: QMessageBox.StandardButton) -> QMessageBox:
    def box() -> QMessageBox | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                return widget
        return None

    wait_until(lambda: box() is not None, what="the question")
    found = box()
    assert found is not None
    found.button(button).click()
    return found


def test_the_tab_beside_the_others_and_for_show_domain_editor(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    assert DOMAIN_TABS[View.EDITOR] == "hardware"
    assert pane.tab_names()["hardware"] is pane.hardware_tab
    assert pane.tabText(pane.indexOf(pane.hardware_tab)) == "Hardware"
    page = _open(pane, open_connection("hardware.xml"), OFF, wait_until)
    kinds = [type(form) for form in page.forms]
    assert kinds[1:4] == [CpuForm, MemoryForm, BootForm]
    assert kinds.count(DiskForm) == 3 and kinds.count(NicForm) == 1
    labels = [page.items.item(row).text() for row in range(page.items.count())]
    assert labels[4:8] == [
        f"Disk {shown('vda')}",
        f"Disk {shown('vdb')}",
        f"CD-ROM {shown('sda')}",
        f"NIC {shown('52:54:00:2d:00:01')}",
    ]
    forms = {page.labels[i]: type(form) for i, form in enumerate(page.forms)}
    wanted_forms = {
        ("Filesystem share", "share"): ShareForm,
        ("Host device", "usb"): HostDevForm,
        ("Controller", "usb 0"): ControllerForm,
        ("Serial port", "pty"): CharForm,
        ("Console", "pty"): CharForm,
        ("Channel", "org.qemu.guest_agent.0"): CharForm,
    }
    for (family, detail), kind in wanted_forms.items():
        assert forms[f"{family} {shown(detail)}"] is kind, (family, detail)
    choices = {page.labels[i] for i, form in enumerate(page.forms) if isinstance(form, ChoiceForm)}
    wanted = {("Sound", "ich9"), ("Watchdog", "i6300esb"), ("Input", "tablet usb")}
    assert {f"{family} {shown(detail)}" for family, detail in wanted} <= choices
    display = next(f for f in page.forms if isinstance(f, GraphicsForm))
    assert display.password_on.isChecked() and display.password.text() == ""  # never shown
    share = next(f for f in page.forms if isinstance(f, ShareForm))
    assert share.source.text() == "/srv/share" and share.target.text() == "share"
    assert not page.apply_button.isEnabled() and not page.scope.isVisible()


def _canonical(xml: str) -> str:
    return ET.canonicalize(xml, strip_text=True, rewrite_prefixes=True)


def test_unchanged_forms_rewrite_nothing(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    for uuid in (OFF, RUN):
        page = _open(pane, open_connection("hardware.xml"), uuid, wait_until)
        assert page.state is not None
        editable = [form for form in page.forms if form.editable]
        edited = edited_definition(page.state.stored, editable)
        assert _canonical(edited) == _canonical(page.state.stored)


def _without_edited(xml: str) -> str:
    root = ET.fromstring(xml)
    for tag in ("vcpu", "currentMemory"):
        root.remove(root.find(tag))  # type: ignore[arg-type]
    vdb = root.findall("devices/disk")[1]
    vdb.remove(vdb.find("serial"))  # type: ignore[arg-type]
    vdb.find("driver").attrib.pop("discard", None)  # type: ignore[union-attr]
    return _canonical(ET.tostring(root, encoding="unicode"))


def test_next_boot_edit_of_a_shut_off_vm(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    before = _secure(conn, run, OFF)
    cpu = _form(page, CpuForm)
    cpu.current.setValue(3)
    memory = _form(page, MemoryForm)
    memory.current.setValue(1536)
    disk = _form(page, DiskForm, 1)
    disk.discard.setCurrentIndex(disk.discard.findData("unmap"))
    disk.serial.setText("DATA-2")
    assert page.items.item(1).text() == "CPUs *"
    assert "next start" in cpu.when.text()
    _apply_and_wait(page, wait_until, "the apply")
    assert page.message.text() == "Saved."
    after = _secure(conn, run, OFF)
    root = ET.fromstring(after)
    assert root.find("vcpu").get("current") == "3"  # type: ignore[union-attr]
    assert root.findtext("currentMemory") == str(1536 * 1024)
    vdb = root.findall("devices/disk")[1]
    assert vdb.find("driver").get("discard") == "unmap"  # type: ignore[union-attr]
    assert vdb.findtext("serial") == "DATA-2"
    assert "passwd='s3cret-vnc'" in after and "kept as written" in after
    assert _without_edited(after) == _without_edited(before)  # the rest as it was
    assert "<app:note>kept as written</app:note>" in after  # its prefix too
    # No single virsh verb does this edit: the log holds define of the saved file, no password.
    (entry,) = conn.command_log.entries
    assert entry.outcome is Outcome.OK
    assert entry.command.lines[0][3:6] == ("define", "--file", file_name(page.domain_name()))
    assert {Note.NO_SINGLE_COMMAND, Note.PASSWORD_LEFT_OUT} <= entry.command.notes
    assert "s3cret-vnc" not in entry.command.script() and "DATA-2" in entry.command.script()


def test_refused_input_is_named_and_nothing_is_sent(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    before = _secure(conn, run, OFF)
    cases: list[tuple[Callable[[], None], str]] = [
        (lambda: _form(page, CpuForm).current.setValue(0), "CPUs must be at least 1."),
        (lambda: _form(page, CpuForm).current.setValue(9), "CPUs: this host has at most 8."),
        (
            lambda: _form(page, CpuForm).current.setValue(5),
            "Current vCPUs (5) cannot be more than the maximum (4).",
        ),
        (lambda: _form(page, MemoryForm).maximum.setValue(0), "Memory must be at least 1."),
        (
            lambda: _form(page, MemoryForm).current.setValue(4096),
            "Current memory (4096 MiB) cannot be more than the maximum (2048 MiB).",
        ),
        (lambda: _form(page, NicForm).mac.setText("01:00:5e:00:00:01"), "multicast"),
        (lambda: _form(page, DiskForm).source.setText("images/disk.qcow2"), "absolute path"),
        (lambda: _form(page, DiskForm).source.setText("/var/lib/../../etc/shadow"), "“..”"),
        (lambda: _form(page, DiskForm).source.setText("/var/lib/a\nb"), "line breaks"),
    ]
    for change, words in cases:
        page.revert()
        change()
        page.apply_button.click()
        wait_until(lambda w=words: w in page.message.text(), what=words)
        assert page.apply_button.isEnabled()  # the edit is kept
        assert page.command.command is None  # no command for a refused entry
        assert "not valid" in page.command.text.toPlainText()
    assert _secure(conn, run, OFF) == before
    assert conn.command_log.entries == []


def test_another_vms_disk_and_mac_are_named(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any, tmp_path: Any
) -> None:
    conn = open_connection("hardware.xml")
    image = tmp_path / "theirs.img"
    image.write_bytes(b"\0" * 512)

    def give(virt: libvirt.virConnect) -> None:
        dom = virt.lookupByName("hw-other")
        virt.defineXML(dom.XMLDesc(0).replace("/var/lib/libvirt/images/shared.img", str(image)))

    run(conn.call(give))
    page = _open(pane, conn, OFF, wait_until)
    before = _secure(conn, run, OFF)
    _form(page, DiskForm).source.setText(str(image))
    page.apply_button.click()
    box = _answer(wait_until, QMessageBox.StandardButton.Cancel)
    assert "hw-other" in box.text() and str(image) in box.text()
    page.revert()
    _form(page, NicForm).mac.setText("52:54:00:2D:00:02")
    page.apply_button.click()
    box = _answer(wait_until, QMessageBox.StandardButton.Cancel)
    assert "52:54:00:2d:00:02" in box.text() and "hw-other" in box.text()
    assert _secure(conn, run, OFF) == before


def test_running_guest_now_and_at_next_boot(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, RUN, wait_until)
    cpu = _form(page, CpuForm)
    cpu.current.setValue(2)
    assert page.scope.isVisibleTo(page)
    assert [page.scope.itemData(i) for i in range(page.scope.count())] == [
        Scope.BOTH,
        Scope.LIVE,
        Scope.CONFIG,
    ]
    assert "now" in cpu.when.text()
    assert page.command.isVisibleTo(page)
    shown_before = page.command.command
    assert shown_before is not None and "setvcpus" in page.command.text.toPlainText()
    _apply_and_wait(page, wait_until, "the apply")
    assert page.message.text() == "Applied now and saved for the next boot."
    assert conn.command_log.entries[-1].command == shown_before  # logged as shown
    assert not page.command.isVisibleTo(page)  # nothing edited any more

    def vcpus(virt: libvirt.virConnect) -> tuple[int, int]:
        dom = virt.lookupByUUIDString(RUN)
        return dom.vcpusFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE), dom.vcpusFlags(
            libvirt.VIR_DOMAIN_AFFECT_CONFIG
        )

    assert run(conn.call(vcpus)) == (2, 2)
    name = page.domain_name()
    logged = conn.command_log.entries[-1].command.lines
    assert logged == (
        (
            "virsh",
            "-c",
            conn.uri,
            "setvcpus",
            "--domain",
            name,
            "--count",
            "2",
            "--live",
            "--config",
        ),
    )
    cpu = _form(page, CpuForm)
    cpu.maximum.setValue(6)  # only at the next boot
    assert [page.scope.itemData(i) for i in range(page.scope.count())] == [Scope.CONFIG]
    assert "restarted" in cpu.when.text()
    assert page.command.command is not None and page.command.command.lines[0][3] == "define"
    _apply_and_wait(page, wait_until, "the apply")
    assert "next boot" in page.message.text()
    assert conn.command_log.entries[-1].command.lines[0][3] == "define"


def test_a_change_that_cannot_be_made_live_is_pending(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, RUN, wait_until)
    nic = _form(page, NicForm)
    nic.link.setChecked(False)
    _apply_and_wait(page, wait_until, "the apply")
    # Saved, but the live step failed: both lines logged, the entry failed with the reason.
    (entry,) = conn.command_log.entries
    link = ("domif-setlink", "--domain", page.domain_name(), "--interface", "52:54:00:2d:00:02")
    down = (*link, "--state", "down")
    assert [argv[3:] for argv in entry.command.lines] == [(*down, "--config"), down]
    assert entry.outcome is Outcome.FAILED and entry.error
    text = page.message.text()
    assert "Could not change the device now" in text  # the test driver has no updateDevice
    assert "pending until the guest restarts" in text
    row = next(i for i, f in enumerate(page.forms) if isinstance(f, NicForm))
    assert page.items.item(row).text().endswith("(pending restart)")


def test_transient_vm_cannot_take_next_boot_changes(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    page = _open(pane, open_connection("hardware.xml"), TRANSIENT, wait_until)
    _form(page, CpuForm).maximum.setValue(1)
    assert page.scope.count() == 0
    page.apply_button.click()
    wait_until(lambda: "transient" in page.message.text(), what="the refusal")


def test_conflict_is_shown_and_never_overwritten(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    _form(page, CpuForm).current.setValue(1)

    def theirs(virt: libvirt.virConnect) -> None:
        dom = virt.lookupByUUIDString(OFF)
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE).replace(
            "<on_crash>destroy", "<on_crash>restart"
        )
        virt.defineXML(xml)

    run(conn.call(theirs))
    theirs_stored = _secure(conn, run, OFF)
    page.apply_button.click()
    wait_until(lambda: isinstance(page.dialog, CompareDialog), what="the comparison")
    dialog = page.dialog
    assert isinstance(dialog, CompareDialog)
    texts = " ".join(e.toPlainText() for e in dialog.findChildren(QPlainTextEdit))
    assert "restart" in texts and "s3cret" not in texts  # theirs shown, passwords masked
    assert "someone else changed" in page.message.text()
    assert _secure(conn, run, OFF) == theirs_stored
    reload = next(b for b in dialog.buttons.buttons() if b.isVisible() and "Reload" in b.text())
    generation = page.generation
    reload.click()
    wait_until(
        lambda: page.state is not None and "<on_crash>restart" in page.state.stored,
        what="the reload",
    )
    assert page.generation > generation
    assert _secure(conn, run, OFF) == theirs_stored


def test_boot_order_menu_and_autostart(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    boot = _form(page, BootForm)
    listed = [boot.devices.item(i).text() for i in range(boot.devices.count())]
    # <boot dev='cdrom'/><boot dev='hd'/>
    assert listed[:3] == [f"CD-ROM {shown('sda')}", f"Disk {shown('vda')}", f"Disk {shown('vdb')}"]
    boot.devices.setCurrentRow(0)
    boot.move_device(1)  # vda first, then the CD-ROM
    boot.menu.setChecked(True)
    boot.autostart.setChecked(True)
    _apply_and_wait(page, wait_until, "the apply")
    root = ET.fromstring(_secure(conn, run, OFF))
    assert root.findall("os/boot") == []
    assert root.find("os/bootmenu").get("enable") == "yes"  # type: ignore[union-attr]
    orders = {
        d.findtext("target") or d.find("target").get("dev"): d.find("boot")
        for d in root.findall("devices/disk")
    }  # type: ignore[union-attr]
    assert {k: (v.get("order") if v is not None else None) for k, v in orders.items()} == {
        "vda": "1",
        "vdb": "3",
        "sda": "2",
    }

    def autostart(virt: libvirt.virConnect) -> bool:
        return bool(virt.lookupByUUIDString(OFF).autostart())

    assert run(conn.call(autostart))


def test_remove_a_nic_and_add_one(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    _form(page, NicForm)
    page.remove_button.click()
    box = _answer(wait_until, QMessageBox.StandardButton.Yes)
    assert f"NIC {shown('52:54:00:2d:00:01')}" in box.text()
    wait_until(
        lambda: page.state is not None and "52:54:00:2d:00:01" not in page.state.stored,
        what="the removal",
    )
    assert "52:54:00:2d:00:01" not in _secure(conn, run, OFF)
    detach = conn.command_log.entries[-1].command
    assert detach.lines[0][3:] == (
        "detach-device",
        "--domain",
        page.domain_name(),
        "--file",
        file_name(page.domain_name(), "-device.xml"),
        "--config",
    )
    assert "52:54:00:2d:00:01" in detach.files[0][1]
    page.add_button.click()
    wait_until(lambda: isinstance(page.dialog, AddHardwareDialog), what="the dialog")
    dialog = page.dialog
    assert isinstance(dialog, AddHardwareDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("nic"))
    dialog.mac.setText("01:02:03:04:05:06")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert "multicast" in dialog.problem.text() and dialog.isVisible()
    dialog.mac.setText("52:54:00:aa:bb:cc")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    wait_until(
        lambda: page.state is not None and "52:54:00:aa:bb:cc" in page.state.stored,
        what="the new NIC",
    )
    assert "s3cret-vnc" in _secure(conn, run, OFF)
    attach = conn.command_log.entries[-1].command
    assert attach.lines[0][3] == "attach-device" and attach.lines[0][-1] == "--config"
    assert "52:54:00:aa:bb:cc" in attach.files[0][1]


def test_removing_a_disk_keeps_its_storage_and_says_so(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    _form(page, DiskForm, 1)
    page.remove_button.click()
    box = _answer(wait_until, QMessageBox.StandardButton.Cancel)
    assert f"{shown('/var/lib/libvirt/images/shared.img')} is kept" in box.informativeText()
    assert "shared.img" in _secure(conn, run, OFF)


def _add(page: HardwarePage, wait_until: Any, kind: str) -> AddHardwareDialog:
    page.add_button.click()
    wait_until(lambda: isinstance(page.dialog, AddHardwareDialog), what="the dialog")
    dialog = page.dialog
    assert isinstance(dialog, AddHardwareDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    return dialog


def test_add_an_existing_image_and_an_empty_cdrom(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any, tmp_path: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    image = tmp_path / "extra.img"
    image.write_bytes(b"\0" * 4096)
    dialog = _add(page, wait_until, "disk")
    dialog.path.setText("extra.img")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert "absolute path" in dialog.problem.text()
    dialog.path.setText(str(image))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    wait_until(lambda: page.state is not None and str(image) in page.state.stored, what="the disk")
    added = [d for d in ET.fromstring(_secure(conn, run, OFF)).findall("devices/disk")]
    new = next(
        d
        for d in added
        if d.find("source") is not None and d.find("source").get("file") == str(image)
    )  # type: ignore[union-attr]
    assert new.find("target").get("dev") == "vdc"  # type: ignore[union-attr]
    assert new.find("driver").get("type") == "raw"  # type: ignore[union-attr]
    dialog = _add(page, wait_until, "cdrom")
    dialog.bus.setCurrentIndex(dialog.bus.findData("sata"))
    count = len(added)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    wait_until(
        lambda: page.state is not None and page.state.stored.count("<disk ") == count + 1,
        what="the CD-ROM",
    )
    cdroms = ET.fromstring(_secure(conn, run, OFF)).findall("devices/disk[@device='cdrom']")
    assert [c.find("target").get("dev") for c in cdroms] == ["sda", "sdb"]  # type: ignore[union-attr]
    assert "s3cret-vnc" in _secure(conn, run, OFF)


def test_display_password_kept_changed_or_removed_and_video_model(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    display = _form(page, GraphicsForm)
    display.listen.setCurrentText("All interfaces (0.0.0.0)")
    _apply_and_wait(page, wait_until, "the listen address")
    stored = _secure(conn, run, OFF)
    assert "passwd='s3cret-vnc'" in stored and "address='0.0.0.0'" in stored
    display = _form(page, GraphicsForm)
    display.password.setText("much-too-long")
    page.apply_button.click()
    wait_until(lambda: "at most 8 characters" in page.message.text(), what="the refusal")
    display.password.setText("new-pw")
    _apply_and_wait(page, wait_until, "the new password")
    assert "passwd='new-pw'" in _secure(conn, run, OFF)
    assert "new-pw" not in page.message.text()
    display = _form(page, GraphicsForm)
    display.password_on.setChecked(False)
    video = _form(page, VideoForm)
    video.model.setCurrentIndex(video.model.findData("qxl"))
    _apply_and_wait(page, wait_until, "no password")
    root = ET.fromstring(_secure(conn, run, OFF))
    assert "passwd" not in root.find("devices/graphics").attrib  # type: ignore[union-attr]
    assert root.find("devices/video/model").get("type") == "qxl"  # type: ignore[union-attr]


def test_add_rng_serial_and_agent_and_no_host_device_to_choose(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    other = "2d2d2d2d-0000-4000-8000-000000000003"
    page = _open(pane, conn, other, wait_until)
    dialog = _add(page, wait_until, "host")
    wait_until(lambda: "no USB or PCI device" in dialog.host_status.text(), what="the listing")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.problem.text() == "Choose a device of the host."
    dialog.reject()
    for kind, tag in (("rng", "rng"), ("serial", "serial"), ("agent", "channel")):
        before = page.state.stored if page.state is not None else ""
        dialog = _add(page, wait_until, kind)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        wait_until(
            lambda b=before: page.state is not None and page.state.stored != b,
            what=kind,
        )
        root = ET.fromstring(_secure(conn, run, other))
        assert root.find(f"devices/{tag}") is not None, kind
    channel = ET.fromstring(_secure(conn, run, other)).find("devices/channel/target")
    assert channel is not None and channel.get("name") == "org.qemu.guest_agent.0"


def test_unapplied_changes_survive_another_selection(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    _form(page, CpuForm).current.setValue(3)
    _open(pane, conn, RUN, wait_until)
    assert page.unsaved_names() == ["hw-off"]
    assert not page.is_modified()
    pane.show_domain(conn, OFF)
    wait_until(lambda: page.uuid == OFF and page.is_modified(), what="the draft")
    assert "shown again" in page.message.text()
    assert _form(page, CpuForm).current.value() == 3
    _apply_and_wait(page, wait_until, "the apply")
    assert page.message.text() == "Saved." and page.unsaved_names() == []
    assert ET.fromstring(_secure(conn, run, OFF)).find("vcpu").get("current") == "3"  # type: ignore[union-attr]


def test_quitting_asks_before_unapplied_changes_are_lost(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    _form(page, MemoryForm).current.setValue(512)
    _open(pane, conn, RUN, wait_until)
    _form(page, CpuForm).current.setValue(2)
    for button, kept in (
        (QMessageBox.StandardButton.Cancel, True),
        (QMessageBox.StandardButton.Yes, False),
    ):
        asked = asyncio.ensure_future(page.confirm_discard(pane))
        box = _answer(wait_until, button)
        assert "hw-off" in box.informativeText() and "hw-run" in box.informativeText()
        wait_until(asked.done, what="the answer")
        assert asked.result() is not kept
        assert bool(page.unsaved_names()) is kept
    assert not page.is_modified()


def test_sound_and_watchdog_choices(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, run: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    forms = [f for f in page.forms if isinstance(f, ChoiceForm)]
    sound = next(f for f in forms if "Sound" in page.labels[page.forms.index(f)])
    watchdog = next(f for f in forms if "Watchdog" in page.labels[page.forms.index(f)])
    page.select_form(sound)
    sound.combos[0].setCurrentIndex(sound.combos[0].findData("ac97"))
    watchdog.combos[1].setCurrentIndex(watchdog.combos[1].findData("poweroff"))
    _apply_and_wait(page, wait_until, "the apply")
    root = ET.fromstring(_secure(conn, run, OFF))
    assert root.find("devices/sound").get("model") == "ac97"  # type: ignore[union-attr]
    dog = root.find("devices/watchdog")
    assert dog is not None and (dog.get("model"), dog.get("action")) == ("i6300esb", "poweroff")


def test_uefi_with_secure_boot_where_the_host_offers_it(
    pane: DetailsPane,
    open_connection: OpenConn,
    wait_until: Any,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dataclasses

    from kvmdesk.virt import hardware

    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    boot = _form(page, BootForm)
    assert not boot.firmware.isEnabled()  # the test driver offers no UEFI
    real = hardware.host_offer

    def offering_uefi(virt: libvirt.virConnect, xml: str) -> Any:
        return dataclasses.replace(real(virt, xml), uefi=True, secure_boot=True)

    monkeypatch.setattr(hardware, "host_offer", offering_uefi)
    page.reload()
    wait_until(lambda: _form(page, BootForm).firmware.isEnabled(), what="UEFI offered")
    boot = _form(page, BootForm)
    assert "unable to boot" in boot.firmware_note.text()
    boot.firmware.setCurrentIndex(boot.firmware.findData(True))
    boot.secure_boot.setChecked(True)
    _apply_and_wait(page, wait_until, "the apply")
    root = ET.fromstring(_secure(conn, run, OFF))
    assert root.find("os").get("firmware") == "efi"  # type: ignore[union-attr]
    assert root.find("os/firmware/feature[@name='secure-boot']").get("enabled") == "yes"  # type: ignore[union-attr]
    assert root.find("features/smm").get("state") == "on"  # type: ignore[union-attr]


def test_storage_browser_lists_the_hosts_pool_volumes(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    page = _open(pane, open_connection("hardware.xml"), OFF, wait_until)
    disk = _form(page, DiskForm, 1)
    disk.source.browse.click()
    wait_until(lambda: disk.source.picker is not None, what="the storage browser")
    picker = disk.source.picker
    assert picker is not None
    wait_until(lambda: picker.volumes.count() > 0, what="the volumes")
    assert picker.pool.currentData() == "images"
    picker.volumes.setCurrentRow(0)
    picker.buttons.button(picker.buttons.StandardButton.Ok).click()
    wait_until(lambda: disk.source.picker is None, what="the choice")
    assert disk.source.text() == "/var/lib/libvirt/images/data.qcow2"
    assert disk.is_dirty()


def test_a_new_disk_image_is_logged_as_vol_create_as_before_its_attach(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    dialog = _add(page, wait_until, "new-disk")
    # The pools come from the host after the dialog opens: with none yet, OK says one is missing.
    wait_until(lambda: dialog.pool.findData("images") >= 0, what="the storage pools")
    dialog.pool.setCurrentIndex(dialog.pool.findData("images"))
    dialog.volume_name.setText("new 'disk'.qcow2")
    dialog.size_gib.setValue(2)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    wait_until(
        lambda: (
            page.state is not None
            and "new 'disk'.qcow2" in page.state.stored.replace("&apos;", "'")
        ),
        what="the new disk",
    )
    create, attach = [e.command.lines[0][3:] for e in conn.command_log.entries[-2:]]
    assert create == (
        "vol-create-as", "--pool", "images", "--name", "new 'disk'.qcow2",
        "--capacity", str(2 * 1024**3), "--format", "qcow2",
    )  # fmt: skip
    assert attach[0] == "attach-device"


def test_fields_are_named_by_their_labels_for_screen_readers(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any
) -> None:
    conn = open_connection("hardware.xml")
    page = _open(pane, conn, OFF, wait_until)
    cpu = _form(page, CpuForm)
    assert cpu.current.accessibleName() == "Current vCPUs"
    assert cpu.maximum.accessibleName() == "Maximum vCPUs"
    assert cpu.mode.accessibleName() == "Model"
    # fields in one row, each after its own label
    assert [s.accessibleName() for s in (cpu.sockets, cpu.cores, cpu.threads)] == [
        "Sockets",
        "Cores",
        "Threads",
    ]
    disk = _form(page, DiskForm)
    assert disk.source.edit.accessibleName() == "Source"  # inside the field with Browse…
    assert disk.source.browse.accessibleName() == ""  # a button says its own text
    boot = _form(page, BootForm)
    assert boot.devices.accessibleName() == "Boot device order (ticked devices, top first)"
    for form in page.forms:  # every field of every form says what it is
        page.select_form(form)
        for field in form.findChildren(QWidget):
            kinds = (QAbstractSpinBox, QComboBox, QLineEdit, QListWidget)
            if (
                isinstance(field, kinds)
                and field.isVisibleTo(form)
                and not isinstance(field.parentWidget(), QAbstractSpinBox | QComboBox)
            ):
                assert field.accessibleName(), (type(form).__name__, type(field).__name__)
        for text in form.findChildren(QPlainTextEdit):  # a device without a form shows its XML
            assert text.accessibleName() == "Device definition (XML)"


def test_the_cpu_limit_wraps_in_a_narrow_pane(
    pane: DetailsPane, open_connection: OpenConn, wait_until: Any, qtbot: Any
) -> None:
    conn = open_connection("hardware.xml")
    pane.resize(520, 600)
    pane.show()
    page = _open(pane, conn, OFF, wait_until)
    cpu = _form(page, CpuForm)
    qtbot.wait(50)
    hint = cpu.limit
    assert hint.text().startswith("This host allows up to")
    viewport = hint.parentWidget()
    while viewport is not None and viewport.objectName() != "qt_scrollarea_viewport":
        viewport = viewport.parentWidget()
    assert viewport is not None

    def right_edge(widget: Any) -> int:
        return int(widget.mapTo(viewport, widget.rect().topRight()).x())

    assert hint.fontMetrics().horizontalAdvance(hint.text()) > hint.width()  # on two lines
    assert hint.height() >= hint.heightForWidth(hint.width())  # both lines whole
    assert right_edge(hint) < viewport.width()  # not under the pane's edge
    for spin in (cpu.sockets, cpu.cores, cpu.threads):  # the topology goes onto more lines
        assert right_edge(spin) < viewport.width()
