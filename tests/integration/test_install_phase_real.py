"""The two-phase install against the real libvirtd and QEMU (software emulation).

The wizard makes a VM with the new defaults that starts the test guest's
kernel as its "installer", with install media in a CD-ROM and a new disk:
it boots to its console marker on q35. When the guest reboots
(``reboot -f`` on its console), ``on_reboot=destroy`` stops it, the
InstallWatcher applies the final definition and starts it again:
``dumpxml`` shows it booting from the disk, the CD-ROM emptied, the
kernel gone.

The fault: the guest reboots while kvmdesk's connection is down, and
someone puts other media in the CD-ROM meanwhile. After the connection is
back the final definition is applied once (a second reconnect changes
nothing) and the other media stays.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import libvirt
import pytest

from kvmdesk.core.connection import Connection, ConnState
from kvmdesk.core.install_watch import InstallSwitched, InstallWatcher
from kvmdesk.core.manager import ConnectionManager
from kvmdesk.core.settings import Settings
from kvmdesk.domxml.install import SourceKind
from kvmdesk.domxml.install_marker import pending
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.ui.new_vm.wizard import NewVmWizard

try:
    from .conftest import TEST_URI, new_guest_name
    from .guest import READY_MARKER, GuestAssets, SerialConsole
    from .test_create_real import (
        BOOT_TIMEOUT,
        ScratchPool,
        _finish,
        _next,
        _no_network,
        guests,
        test_pool,
        wizard_for,
    )
except ImportError:
    from conftest import TEST_URI, new_guest_name  # type: ignore[no-redef]
    from guest import READY_MARKER, GuestAssets, SerialConsole  # type: ignore[no-redef]
    from test_create_real import (  # type: ignore[no-redef]  # noqa: F401
        BOOT_TIMEOUT,
        ScratchPool,
        _finish,
        _next,
        _no_network,
        guests,
        test_pool,
        wizard_for,
    )

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

WaitUntil = Callable[..., None]
Run = Callable[..., Any]


def _watched(
    manager: ConnectionManager, settings: Settings, run: Run
) -> tuple[Connection, InstallWatcher, list[InstallSwitched]]:
    watcher = InstallWatcher(manager, settings)
    events: list[InstallSwitched] = []
    watcher.switched.connect(events.append)
    conn = manager.add(TEST_URI, persist=False)
    assert run(conn.open_and_wait()), conn.failure
    return conn, watcher, events


def _create(
    wizard: NewVmWizard,
    wait_until: WaitUntil,
    name: str,
    assets: GuestAssets,
    pool: ScratchPool,
    libvirt_conn: Any,
) -> tuple[Any, SerialConsole, str]:
    """Through the wizard: the guest's kernel as the installer, install media in a
    CD-ROM, a new 1 GiB disk, emulation; the machine type and the rest as the
    defaults table chooses. Returns the domain, its console (open from the
    first byte) and the install media's path."""
    media = pool.add_file("install.iso", b"\0" * 65536)
    kernel, initrd = pool.copy_in(assets.kernel), pool.copy_in(assets.initrd)
    consoles: list[SerialConsole] = []
    wizard.created.connect(
        lambda _uuid: consoles.append(SerialConsole(libvirt_conn, libvirt_conn.lookupByName(name)))
    )
    wizard.source_page.buttons[SourceKind.KERNEL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.kernel.edit.setText(str(kernel))
    wizard.media_page.initrd.edit.setText(str(initrd))
    wizard.media_page.cmdline.setText("console=ttyS0 quiet")
    wizard.media_page.kernel_media.edit.setText(str(media))
    _next(wizard, wait_until, PageId.RESOURCES)
    wizard.resources_page.memory.setText("256")
    wizard.resources_page.vcpus.setText("1")
    _next(wizard, wait_until, PageId.STORAGE)
    storage = wizard.storage_page
    storage.pool.setCurrentIndex(storage.pool.findData(pool.name))
    storage.size_edit.setText("1")
    _next(wizard, wait_until, PageId.NETWORK)
    _no_network(wizard)
    _next(wizard, wait_until, PageId.SUMMARY)
    summary = wizard.summary_page
    summary.name.setText(name)
    # Emulation, as the integration tests always use (KVM guests hang on this machine);
    # the machine type stays the table's choice.
    summary.virt_type.setCurrentIndex(summary.virt_type.findData("qemu"))
    wait_until(lambda: wizard.firmware is not None, 60, "firmware of the emulated platform")
    _finish(wizard, wait_until)
    assert wizard.outcome is not None and wizard.outcome.ok, summary.message.text()
    assert consoles, "no console was opened at creation"
    return libvirt_conn.lookupByName(name), consoles[0], str(media)


def _dumpxml(dom: Any, flags: int = 0) -> ET.Element:
    return ET.fromstring(dom.XMLDesc(flags))


def _cdrom_source(root: ET.Element) -> ET.Element | None:
    cdrom = root.find("devices/disk[@device='cdrom']")
    assert cdrom is not None, "the CD-ROM drive is gone"
    return cdrom.find("source")


def _boot_then_reboot(console: SerialConsole) -> None:
    try:
        console.wait_for(READY_MARKER, BOOT_TIMEOUT)
        console.send("reboot -f\n")
    finally:
        console.close()


def test_a_new_vm_boots_on_q35_and_switches_after_its_first_reboot(
    manager: ConnectionManager,
    settings: Settings,
    run: Run,
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[str],
) -> None:
    conn, watcher, events = _watched(manager, settings, run)
    name = new_guest_name()
    guests.append(name)
    dom, console, media = _create(
        wizard_for(conn), wait_until, name, guest_assets, test_pool, libvirt_conn
    )
    live = _dumpxml(dom)
    assert live.find("os/type").get("machine", "").startswith("pc-q35")  # type: ignore[union-attr]
    assert live.findtext("on_reboot") == "destroy"
    assert live.find("devices/controller[@model='qemu-xhci']") is not None
    assert _cdrom_source(live).get("file") == media  # type: ignore[union-attr]
    wait_until(lambda: (conn.uri, dom.UUIDString()) in watcher.pending, 30, "the install noticed")
    _boot_then_reboot(console)  # reaches the marker, then the guest reboots
    wait_until(lambda: events, BOOT_TIMEOUT, "the switch to the final definition")
    assert events[0].result.name == name and events[0].restarted, events[0]
    final = _dumpxml(dom, libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert [b.get("dev") for b in final.findall("os/boot")] == ["hd"]
    assert final.find("os/kernel") is None and final.find("os/initrd") is None
    assert _cdrom_source(final) is None
    assert final.findtext("on_reboot") == "restart"
    assert pending(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)) is None
    assert dom.isActive()  # started again, now from its (empty) disk
    assert _cdrom_source(_dumpxml(dom)) is None


def test_after_a_dropped_connection_the_switch_happens_once_and_keeps_an_edit(
    manager: ConnectionManager,
    settings: Settings,
    run: Run,
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[str],
) -> None:
    conn, watcher, events = _watched(manager, settings, run)
    name = new_guest_name()
    guests.append(name)
    dom, console, _media = _create(
        wizard_for(conn), wait_until, name, guest_assets, test_pool, libvirt_conn
    )
    uuid = dom.UUIDString()
    wait_until(lambda: (conn.uri, uuid) in watcher.pending, 30, "the install noticed")
    conn.close()  # the link is down from here
    assert conn.state is ConnState.DISCONNECTED
    _boot_then_reboot(console)
    wait_until(lambda: dom.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF, BOOT_TIMEOUT, "the reboot")
    assert dom.state() == [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_SHUTDOWN]
    # Meanwhile someone puts other media in the CD-ROM drive.
    other = test_pool.add_file("other.iso", b"\0" * 65536)
    stored = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)
    root = ET.fromstring(stored)
    source = _cdrom_source(root)
    assert source is not None
    source.set("file", str(other))
    libvirt_conn.defineXML(ET.tostring(root, encoding="unicode"))
    assert events == []
    conn.open()  # the link is back: the domain list arrives again
    wait_until(lambda: events, 60, "the switch after reconnecting")
    event = events[0]
    assert not event.restarted  # nobody saw it stop: it is not started by surprise
    assert "eject:sda" in event.result.skipped and "kernel" in event.result.applied
    final_xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    final = ET.fromstring(final_xml)
    assert [b.get("dev") for b in final.findall("os/boot")] == ["hd"]
    assert final.find("os/kernel") is None
    assert _cdrom_source(final).get("file") == str(other)  # type: ignore[union-attr]
    assert not dom.isActive()
    assert (conn.uri, uuid) not in watcher.pending
    # Another drop and reconnect: nothing is applied a second time.
    conn.close()
    conn.open()
    wait_until(lambda: conn.state is ConnState.CONNECTED, 60, "connected again")
    wait_until(lambda: not watcher._tasks, 30, "checks done")
    assert len(events) == 1
    assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == final_xml
