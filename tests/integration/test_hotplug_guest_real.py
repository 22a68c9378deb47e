"""Hot-plugged devices seen from inside the running guest.

The busybox guest loads the virtio and e1000 drivers (tests/integration/guest.py),
so a disk and a NIC attached by ``apply_hardware`` appear in its ``/sys/block``
(found by the disk's serial) and ``/sys/class/net`` (by the MAC), read through
the serial console; unplugged through
the same call (which waits for the guest's ``device-removed`` event), they
are gone from it again. The calls run on a worker thread while the test's
event loop runs, as they do in kvmdesk: the removal events reach the wait.

Add Hardware… on the running guest adds what QEMU can hot-plug now and the
rest for the next boot, saying why.
"""

from __future__ import annotations

import asyncio
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection
from kvmdesk.ui.domain.hardware.add_dialog import AddHardwareDialog
from kvmdesk.ui.domain.hardware.hardware_page import HardwarePage
from kvmdesk.virt import storage
from kvmdesk.virt.hardware import LiveOp, OpKind, Scope, apply_hardware, fetch_hardware

try:
    from .conftest import TEST_URI, new_guest_name
    from .conftest_pools import ScratchPool, test_pool
    from .guest import READY_MARKER, GuestAssets, SerialConsole, guest_domain_xml
except ImportError:
    from conftest import TEST_URI, new_guest_name  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
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

MAC = "52:54:00:e1:00:03"
SERIAL = "KVMDESK-HOT-1"  # the guest names the disk vda (its first); the serial is what is ours


@pytest.fixture
def events_conn(aio_loop: asyncio.AbstractEventLoop) -> Iterator[libvirt.virConnect]:
    """A connection opened after libvirt's event loop is registered: it gets events."""
    conn = libvirt.open(TEST_URI)
    yield conn
    conn.close()


@pytest.fixture
def booted(
    events_conn: libvirt.virConnect, guest_assets: GuestAssets
) -> Iterator[tuple[Any, SerialConsole]]:
    """The test guest, running, with its serial console open at the shell."""
    dom = events_conn.defineXML(guest_domain_xml(new_guest_name(), guest_assets))
    console: SerialConsole | None = None
    try:
        dom.createWithFlags(libvirt.VIR_DOMAIN_START_PAUSED)
        console = SerialConsole(events_conn, dom)
        dom.resume()
        console.wait_for(READY_MARKER, 120)
        yield dom, console
    finally:
        if console is not None:
            console.close()
        try:
            if dom.isActive():
                dom.destroy()
            dom.undefine()
        except libvirt.libvirtError:
            pass


def _guest_sees(console: SerialConsole, condition: str, word: str, timeout: float = 90) -> None:
    """Run a shell loop in the guest until ``condition`` holds, then wait for its answer.

    The answer is computed by the guest's shell (``$((…))``), so the echo of
    the typed command line never matches it.
    """
    start = console.offset()
    console.send(f"until {condition}; do sleep 0.2; done; echo {word}-$((40+2))\n")
    console.wait_for(f"{word}-42", timeout, start)


def test_hot_plugged_disk_and_nic_appear_in_the_guest_and_go_again(
    booted: tuple[Any, SerialConsole],
    events_conn: libvirt.virConnect,
    test_pool: ScratchPool,
    run: Any,
) -> None:
    dom, console = booted
    uuid = dom.UUIDString()
    for module in ("virtio_pci", "virtio_blk", "virtio_net", "e1000"):
        _guest_sees(console, f"grep -q '^{module} ' /proc/modules", f"LOADED-{module}", 30)
    _guest_sees(console, f"! grep -qs {SERIAL} /sys/block/*/serial", "NO-DISK-YET")
    volume = storage.create_volume(events_conn, test_pool.name, "seen.qcow2", 0.05, "qcow2")
    disk = (
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        f"<source file='{volume.path}'/><target dev='vdb' bus='virtio'/>"
        f"<serial>{SERIAL}</serial></disk>"
    )
    nic = f"<interface type='user'><mac address='{MAC}'/><model type='virtio'/></interface>"
    state = fetch_hardware(events_conn, uuid)
    ops = (LiveOp(OpKind.ATTACH, xml=disk), LiveOp(OpKind.ATTACH, xml=nic))
    outcome = run(
        asyncio.to_thread(
            apply_hardware, events_conn, uuid, state.stored, state.stored, ops, Scope.LIVE
        )
    )
    assert outcome.live_done == ops, outcome.live_failed

    _guest_sees(console, f"grep -qs {SERIAL} /sys/block/vd*/serial", "DISK-SEEN")
    _guest_sees(console, f"grep -qs {MAC} /sys/class/net/*/address", "NIC-SEEN")

    live = ET.fromstring(dom.XMLDesc(0))
    unplug = []
    for node in live.findall("devices/disk") + live.findall("devices/interface"):
        text = ET.tostring(node, encoding="unicode")
        if "seen.qcow2" in text or MAC in text:
            alias = node.find("alias")
            assert alias is not None
            unplug.append(LiveOp(OpKind.DETACH, xml=text, alias=alias.get("name", "")))
    assert len(unplug) == 2
    state = fetch_hardware(events_conn, uuid)
    outcome = run(
        asyncio.to_thread(
            apply_hardware,
            events_conn,
            uuid,
            state.stored,
            state.stored,
            tuple(unplug),
            Scope.LIVE,
        ),
        120,
    )
    assert outcome.live_done == tuple(unplug), outcome.live_failed
    after = dom.XMLDesc(0)
    assert "seen.qcow2" not in after and MAC not in after
    _guest_sees(console, f"! grep -qs {SERIAL} /sys/block/*/serial", "DISK-GONE")
    _guest_sees(console, f"! grep -qs {MAC} /sys/class/net/*/address", "NIC-GONE")


def _add(page: HardwarePage, wait_until: Any, kind: str) -> AddHardwareDialog:
    page.add_button.click()
    wait_until(lambda: isinstance(page.dialog, AddHardwareDialog), 30, "the dialog")
    dialog = page.dialog
    assert isinstance(dialog, AddHardwareDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    return dialog


def _ok(page: HardwarePage, dialog: AddHardwareDialog, wait_until: Any) -> str:
    generation = page.generation
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    wait_until(
        lambda: (
            page.generation > generation
            and page.message.text() not in ("", "Checking…", "Saving…", "Loading…")
        ),
        90,
        "the addition",
    )
    return page.message.text()


def test_add_hardware_now_or_at_next_boot_on_the_running_guest(
    booted: tuple[Any, SerialConsole],
    manager: Any,
    run: Any,
    wait_until: Any,
    qtbot: Any,
) -> None:
    """A PCI serial port, TCP USB redirection and a SCSI controller go in now;
    an ISA serial port, a 9p share, a virtiofs share without shared memory and a
    channel without a virtio-serial controller wait for the next boot, each
    with its reason, and the running guest is left as it was."""
    dom, _console = booted
    listener = socket.create_server(("127.0.0.1", 0))  # the usbredir server QEMU connects to
    port = listener.getsockname()[1]
    conn: Connection = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    page = HardwarePage()
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.show_domain(conn, dom.UUIDString())
    page.set_shown(True)
    wait_until(lambda: page.state is not None and bool(page.forms), 30, "the forms")
    try:
        live_before = dom.XMLDesc(0)
        assert "virtio-serial" not in live_before and "<filesystem" not in live_before

        dialog = _add(page, wait_until, "serial")
        dialog.kind_pages["serial"].target_type.setCurrentIndex(1)  # PCI
        assert dialog.scope_note.text() == (
            "The change is made on the running guest now and kept for the next boot."
        )
        assert _ok(page, dialog, wait_until) == "Applied now and saved for the next boot."
        assert "pci-serial" in dom.XMLDesc(0)

        dialog = _add(page, wait_until, "redir")
        redir = dialog.kind_pages["redir"]
        redir.port.setText(str(port))
        assert _ok(page, dialog, wait_until) == "Applied now and saved for the next boot."
        assert f"service='{port}'" in dom.XMLDesc(0)

        dialog = _add(page, wait_until, "controller")
        assert _ok(page, dialog, wait_until) == "Applied now and saved for the next boot."
        assert "model='virtio-scsi'" in dom.XMLDesc(0)

        refused = {
            "serial": "An ISA serial port cannot be added to a running guest",
            "share-9p": "A 9p share cannot be added to a running guest",
            "share": "A virtiofs share needs shared memory",
            "agent": "The running guest has no virtio-serial controller",
        }
        for kind, reason in refused.items():
            live = dom.XMLDesc(0)
            dialog = _add(page, wait_until, kind.removesuffix("-9p"))
            if kind.startswith("share"):
                share = dialog.kind_pages["share"]
                share.driver.setCurrentIndex(1 if kind == "share-9p" else 0)
                share.source.setText("/srv")
                share.target.setText(f"tag-{kind}")
            assert reason in dialog.scope_note.text(), kind
            text = _ok(page, dialog, wait_until)
            assert reason in text and "It is added for the next boot." in text, text
            assert dom.XMLDesc(0) == live, kind  # the running guest as it was
        stored = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        assert "tag-share-9p" in stored and "tag-share" in stored
        assert "org.qemu.guest_agent.0" in stored
        assert "<access mode='shared'/>" in stored  # turned on with the virtiofs share
    finally:
        listener.close()
