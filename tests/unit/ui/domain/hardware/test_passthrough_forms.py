"""The forms of serial ports and channels, host devices, shares, USB redirection
and controllers, and Add Hardware for them, on the test driver (tests/data/passthrough.xml).

Each form shows what the definition says, writes only what was changed
(the golden file holds a definition with every field of these forms
changed, which libvirt must take), and refuses bad input in plain words.
A host device names the other VMs that pass it through. For a running guest,
Add Hardware says whether a device goes in now or waits for the next boot.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import libvirt
import pytest
from test_hardware_golden import check

from kvmdesk.core.connection import Connection
from kvmdesk.domxml.hardware import shared_memory
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
from kvmdesk.ui.domain.hardware.char_form import CharForm
from kvmdesk.ui.domain.hardware.controller_form import ControllerForm
from kvmdesk.ui.domain.hardware.hardware_apply import edited_definition
from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage
from kvmdesk.ui.domain.hardware.hardware_words import input_text
from kvmdesk.ui.domain.hardware.hostdev_form import HostDevForm
from kvmdesk.ui.domain.hardware.memory_form import MemoryForm
from kvmdesk.ui.domain.hardware.redir_form import RedirForm
from kvmdesk.ui.domain.hardware.share_form import ShareForm
from kvmdesk.virt.hardware import Scope
from kvmdesk.virt.hardware_offer import HostOffer
from kvmdesk.virt.plan_input import PlanInputError

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

OFF = "3e3e3e3e-0000-4000-8000-000000000001"
RUN = "3e3e3e3e-0000-4000-8000-000000000003"
OFFER = HostOffer(host_cpus=4, host_memory_kib=16 << 20, max_vcpus=4)
OpenConn = Callable[[str], Connection]


def _page(qtbot: Any, conn: Connection, uuid: str, wait_until: Any) -> HardwarePage:
    page = HardwarePage()
    qtbot.addWidget(page)
    page.show_domain(conn, uuid)
    page.set_shown(True)
    wait_until(lambda: page.state is not None and bool(page.forms), what="the forms")
    return page


def _forms(page: HardwarePage, kind: type) -> list[Any]:
    return [f for f in page.forms if type(f) is kind]


def _char(page: HardwarePage, tag: str) -> Any:
    return next(f for f in _forms(page, CharForm) if f.tag == tag)


def _refusal(form: Any) -> str:
    with pytest.raises(PlanInputError) as refused:
        form.check()
    return input_text(refused.value)


def test_the_forms_show_the_definition(
    qtbot: Any, aio_loop: Any, open_connection: OpenConn, wait_until: Any
) -> None:
    page = _page(qtbot, open_connection("passthrough.xml"), OFF, wait_until)
    serial, channel = _char(page, "serial"), _char(page, "channel")
    assert serial.values().type == "file" and serial.path.text() == "/var/log/pt-off.log"
    assert serial.values().target_type == "isa-serial"
    assert channel.values().target_name == "com.redhat.spice.0"
    assert not channel.agent_note.isVisibleTo(channel)
    nine, fast = _forms(page, ShareForm)
    assert (nine.values().driver, nine.values().accessmode) == ("", "mapped")
    assert nine.driver.currentText() == "9p (virtio-9p)" and nine.driver.count() == 2
    assert fast.values().driver == "virtiofs" and not fast.turn_on.isVisibleTo(fast)
    (redir,) = _forms(page, RedirForm)
    assert (redir.host.text(), redir.port.text()) == ("127.0.0.1", "4000")
    scsi = next(f for f in _forms(page, ControllerForm) if f.kind.text() == "scsi")
    assert scsi.values() == "lsilogic"
    (hostdev,) = _forms(page, HostDevForm)
    wait_until(lambda: hostdev.users.text() != "", what="the host's devices")
    assert hostdev.users.text() == (
        "Also passed through to: \u2068pt-other\u2069. Only one running guest can use it at a time."
    )
    assert "SanDisk" in hostdev.device.currentText()
    assert hostdev.device.count() == 2  # the host's USB devices, not its PCI one
    assert not page.dirty_forms()
    editable = [form for form in page.forms if form.editable]
    assert page.state is not None
    stored = page.state.stored
    canonical = ET.canonicalize(edited_definition(stored, editable), strip_text=True)
    assert canonical == ET.canonicalize(stored, strip_text=True)


def test_every_field_edited_writes_only_itself(
    qtbot: Any, aio_loop: Any, open_connection: OpenConn, wait_until: Any
) -> None:
    page = _page(qtbot, open_connection("passthrough.xml"), OFF, wait_until)
    serial, channel = _char(page, "serial"), _char(page, "channel")
    serial.path.setText("/var/log/pt-off-2.log")
    serial.target_type.setCurrentIndex(serial.target_type.findData("pci-serial"))
    channel.host_type.setCurrentIndex(channel.host_type.findData("unix"))
    channel.name.setCurrentText("org.qemu.guest_agent.0")
    assert channel.agent_note.isVisibleTo(channel)
    (hostdev,) = _forms(page, HostDevForm)
    wait_until(lambda: hostdev.device.count() == 2, what="the host's devices")
    hostdev.device.setCurrentIndex(hostdev.device.findData("usb:0x1050:0x0001"))
    assert hostdev.users.text() == ""
    hostdev.managed.setChecked(False)
    nine, fast = _forms(page, ShareForm)
    nine.driver.setCurrentIndex(nine.driver.findData("virtiofs"))
    nine.readonly.setChecked(True)
    fast.target.setText("faster")
    (redir,) = _forms(page, RedirForm)
    redir.port.setText("4001")
    scsi = next(f for f in _forms(page, ControllerForm) if f.kind.text() == "scsi")
    scsi.model.setCurrentIndex(scsi.model.findData("virtio-scsi"))
    assert page.state is not None
    edited = edited_definition(page.state.stored, page.dirty_forms())
    check("edited-pt-off", edited)
    root = ET.fromstring(edited)
    assert root.find("devices/hostdev/boot").get("order") == "2"  # type: ignore[union-attr]
    assert root.find("devices/filesystem[2]/driver").get("queue") == "1024"  # type: ignore[union-attr]
    virt = libvirt.open("test:///default")
    try:
        root.find("name").text = "pt-edited"  # type: ignore[union-attr]
        root.find("uuid").text = "3e3e3e3e-0000-4000-8000-0000000000ee"  # type: ignore[union-attr]
        dom = virt.defineXMLFlags(
            ET.tostring(root, encoding="unicode"), libvirt.VIR_DOMAIN_DEFINE_VALIDATE
        )
        dom.undefine()
    finally:
        virt.close()


def test_bad_input_is_refused_in_plain_words(
    qtbot: Any, aio_loop: Any, open_connection: OpenConn, wait_until: Any
) -> None:
    page = _page(qtbot, open_connection("passthrough.xml"), OFF, wait_until)
    serial, channel = _char(page, "serial"), _char(page, "channel")
    serial.path.setText("")
    assert _refusal(serial) == "Type the path of the file on the host."
    serial.path.setText("logs/pt.log")
    assert _refusal(serial) == "“\u2068logs/pt.log\u2069” is not a full path: it must start with /."
    channel.name.setCurrentText(" ")
    assert _refusal(channel) == "Type the channel's name, such as org.qemu.guest_agent.0."
    nine = _forms(page, ShareForm)[0]
    nine.source.setText("")
    assert _refusal(nine) == "Type the folder of the host to share."
    nine.source.setText("/srv/nine")
    nine.target.setText("")
    assert _refusal(nine) == "Type the tag the guest mounts the share by."
    (redir,) = _forms(page, RedirForm)
    for port in ("0", "65536", "http", ""):
        redir.port.setText(port)
        assert "is not a port number (1 to 65535)" in _refusal(redir), port
    redir.port.setText("4000")
    redir.host.setText("")
    assert _refusal(redir) == "Type the host to connect the USB redirection to."
    memory = _forms(page, MemoryForm)[0]
    memory.shared.setChecked(False)
    assert _refusal(memory) == (
        "Shared memory stays on: the virtiofs share “\u2068fast\u2069” needs it. "
        "Remove the share first."
    )


def test_a_virtiofs_share_offers_shared_memory(
    qtbot: Any, aio_loop: Any, open_connection: OpenConn, wait_until: Any
) -> None:
    page = _page(qtbot, open_connection("passthrough.xml"), OFF, wait_until)
    page.stored_root.find("memoryBacking").find("access").set("mode", "private")  # type: ignore[union-attr]
    nine = _forms(page, ShareForm)[0]
    nine.load(page.stored_root, None)  # type: ignore[arg-type]
    nine.driver.setCurrentIndex(nine.driver.findData("virtiofs"))
    assert nine.turn_on.isVisibleTo(nine)
    assert "it is not now" in nine.shared_note.text()
    nine.turn_on.click()
    assert nine.shared_note.text() == "Shared memory is turned on with this change."
    root = ET.fromstring(ET.tostring(page.stored_root, encoding="unicode"))  # type: ignore[arg-type]
    nine.edit(root)
    assert shared_memory(root)


def _dialog(qtbot: Any, conn: Connection, stored: str, live: str | None) -> AddHardwareDialog:
    stored_root = ET.fromstring(stored)
    live_root = ET.fromstring(live) if live is not None else None
    dialog = AddHardwareDialog(None, conn, OFFER, stored_root, live_root)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    if live_root is not None:
        dialog.set_scope(Scope.BOTH)
    return dialog


def test_add_hardware_says_now_or_next_boot_for_a_running_guest(
    qtbot: Any, aio_loop: Any, open_connection: OpenConn, data_uri: Callable[[str], str]
) -> None:
    conn = open_connection("passthrough.xml")
    virt = libvirt.open(data_uri("passthrough.xml"))
    try:
        dom = virt.lookupByUUIDString(RUN)
        stored, live = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), dom.XMLDesc(0)
    finally:
        virt.close()
    dialog = _dialog(qtbot, conn, stored, live)
    now = "The change is made on the running guest now and kept for the next boot."
    cases = [
        ("serial", "", "An ISA serial port cannot be added to a running guest; "),
        ("serial", "pci-serial", now),
        ("agent", "", "The running guest has no virtio-serial controller for this channel."),
        ("share", "path", "A 9p share cannot be added to a running guest; "),
        ("share", "virtiofs", "A virtiofs share needs shared memory, which the running"),
        ("redir", "", now),
        ("controller", "scsi", now),
        ("controller", "usb", "Only a SCSI controller can be added to a running guest."),
    ]
    for kind, choice, said in cases:
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        page = dialog.kind_pages[kind]
        if kind == "serial":
            page.target_type.setCurrentIndex(page.target_type.findData(choice))
        if kind == "share":
            page.source.setText("/srv/x")
            page.target.setText("x")
            page.driver.setCurrentIndex(page.driver.findData(choice))
        if kind == "redir":
            page.port.setText("4000")
        if kind == "controller":
            page.kind.setCurrentIndex(page.kind.findData(choice))
        assert dialog.scope_note.text().startswith(said), (kind, choice)
        if said != now:
            assert dialog.scope_note.text().endswith("It is added for the next boot.")
    dialog.set_scope(Scope.LIVE)  # transient: no next boot to wait for
    assert dialog.scope_note.text().endswith(
        "This virtual machine is transient: it has no next boot to add it to."
    )


@pytest.mark.parametrize(
    "kind", ["pci-serial", "spice-channel", "share", "share-9p", "redir", "controller"]
)
def test_added_device(kind: str, qtbot: Any, open_connection: OpenConn) -> None:
    conn = open_connection("passthrough.xml")
    stored = "<domain><devices/></domain>"
    dialog = _dialog(qtbot, conn, stored, None)
    base = kind.split("-")[0] if kind != "spice-channel" else "agent"
    base = "serial" if kind == "pci-serial" else base
    dialog.kind.setCurrentIndex(dialog.kind.findData(base))
    page = dialog.kind_pages[base]
    if kind == "pci-serial":
        page.target_type.setCurrentIndex(page.target_type.findData("pci-serial"))
    elif kind == "spice-channel":
        page.name.setCurrentText("com.redhat.spice.0")
    elif base == "share":
        page.driver.setCurrentIndex(
            page.driver.findData("path" if kind == "share-9p" else "virtiofs")
        )
        page.source.setText("/srv/share")
        page.target.setText("share")
        page.readonly.setChecked(True)
        assert page.turn_on_shared == (kind == "share")
    elif kind == "redir":
        page.port.setText("4000")
    check(f"add-{kind}", ET.tostring(dialog.build(), encoding="unicode"))
