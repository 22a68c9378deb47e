"""The New VM wizard against the real libvirtd and QEMU (software emulation).

The wizard is driven through its pages with pytest-qt, as a user would:
a direct-kernel-boot VM of the test guest boots to its console marker
(locally and over ``qemu+ssh://``), an import-disk VM and a manual-install
VM are defined and start, and a failure after the new volume exists
removes that volume while a pre-existing disk keeps its sha256.

Storage lives in a directory pool made for each test under the test bed's
cache directory (readable by the QEMU user) and removed afterwards with
everything in it; guests are named by ``new_guest_name()`` and always
removed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import libvirt
import pytest
import shiboken6
from PySide6.QtWidgets import QMainWindow, QWizard

from kvmdesk.core.command_log import Outcome
from kvmdesk.core.connection import Connection
from kvmdesk.domxml import Disk, Domain
from kvmdesk.domxml.install import NetworkKind, SourceKind
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.ui.new_vm.wizard import NewVmWizard
from kvmdesk.virt import storage
from kvmdesk.virt.provision import Step

try:
    from . import daemon
    from .conftest import TEST_URI, new_guest_name, remove_domain
    from .conftest_pools import ScratchPool, test_pool
    from .conftest_ssh import HOST
    from .guest import READY_MARKER, GuestAssets, SerialConsole
    from .loopdev import loop_device
except ImportError:
    import daemon  # type: ignore[no-redef]
    from conftest import TEST_URI, new_guest_name, remove_domain  # type: ignore[no-redef]
    from conftest_pools import ScratchPool, test_pool  # type: ignore[no-redef]  # noqa: F401
    from conftest_ssh import HOST  # type: ignore[no-redef]
    from guest import (  # type: ignore[no-redef]
        READY_MARKER,
        GuestAssets,
        SerialConsole,
    )
    from loopdev import loop_device  # type: ignore[no-redef]  # noqa: F401

pytestmark = [
    pytest.mark.integration,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

WaitUntil = Callable[..., None]
Run = Callable[..., Any]
BOOT_TIMEOUT = 120  # seconds: the guest boots under emulation on a shared machine


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def guests(libvirt_conn: Any) -> Iterator[list[str]]:
    """Names the test may create; whatever has them at teardown is removed."""
    names: list[str] = []
    yield names
    for name in names:
        with contextlib.suppress(libvirt.libvirtError):
            remove_domain(libvirt_conn, name)


@pytest.fixture
def wizard_for(
    qtbot: Any, wait_until: WaitUntil, tmp_path: Path
) -> Iterator[Callable[[Connection], NewVmWizard]]:
    windows: list[QMainWindow] = []
    made: list[NewVmWizard] = []

    def make(conn: Connection) -> NewVmWizard:
        window = QMainWindow()  # the wizard's parent, as in the application
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        # No osinfo database directory: the generic Linux choice, virtio devices.
        wizard = NewVmWizard(conn, window, osinfo_dirs=[tmp_path / "no-osinfo"])
        wizard.show()
        made.append(wizard)
        wait_until(lambda: wizard.media_page.os_model.rowCount() > 0, 60, "host facts")
        wait_until(lambda: wizard.firmware is not None, 60, "firmware")
        return wizard

    yield make
    for wizard in made:
        if shiboken6.isValid(wizard) and wizard.isVisible():
            wizard.creating = False
            wizard.reject()
    # A refused host check leaves its exception in a reference cycle that
    # holds a libvirt handle; free it while the session's loop still runs.
    gc.collect()


# ---------------------------------------------------------------- driving


def _next(wizard: NewVmWizard, wait_until: WaitUntil, expected: PageId) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()
    page = wizard.currentPage()
    wait_until(
        lambda: (
            wizard.currentId() == expected
            or (
                not page.checking
                and page.message.isVisible()  # type: ignore[attr-defined]
                and wizard.currentId() != expected
                and "Checking" not in page.message.text()  # type: ignore[attr-defined]
            )
        ),
        60,
        f"page {expected.name}",
    )
    assert wizard.currentId() == expected, page.message.text()  # type: ignore[attr-defined]


def _platform(wizard: NewVmWizard, name: str) -> None:
    """Emulation, as the tests always use (a KVM guest hangs on this machine)."""
    page = wizard.summary_page
    page.name.setText(name)
    page.virt_type.setCurrentIndex(page.virt_type.findData("qemu"))
    page.machine.setCurrentIndex(page.machine.findData("pc"))
    assert page.virt_type.currentData() == "qemu" and page.machine.currentData() == "pc"


def _resources(wizard: NewVmWizard, wait_until: WaitUntil, memory: str = "128") -> None:
    wizard.resources_page.memory.setText(memory)
    wizard.resources_page.vcpus.setText("1")


def _no_network(wizard: NewVmWizard) -> None:
    page = wizard.network_page
    page.kind.setCurrentIndex(page.kind.findData(NetworkKind.NONE))


def _finish(wizard: NewVmWizard, wait_until: WaitUntil) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(lambda: wizard.outcome is not None, 180, "the VM to be created")


def _kernel_vm(
    wizard: NewVmWizard, wait_until: WaitUntil, name: str, kernel: str, initrd: str
) -> None:
    wizard.source_page.buttons[SourceKind.KERNEL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.kernel.edit.setText(kernel)
    wizard.media_page.initrd.edit.setText(initrd)
    wizard.media_page.cmdline.setText("console=ttyS0 quiet")
    _next(wizard, wait_until, PageId.RESOURCES)
    _resources(wizard, wait_until)
    _next(wizard, wait_until, PageId.STORAGE)
    wizard.storage_page.none.setChecked(True)
    _next(wizard, wait_until, PageId.NETWORK)
    _no_network(wizard)
    _next(wizard, wait_until, PageId.SUMMARY)
    _platform(wizard, name)


def _manual_vm(
    wizard: NewVmWizard, wait_until: WaitUntil, name: str, pool: str, fmt: str = ""
) -> None:
    """A manual install up to the summary: a new 1 GiB volume in ``pool``
    (in format ``fmt``, or the page's default), no network."""
    wizard.source_page.buttons[SourceKind.MANUAL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    _next(wizard, wait_until, PageId.RESOURCES)
    _resources(wizard, wait_until)
    _next(wizard, wait_until, PageId.STORAGE)
    page = wizard.storage_page
    page.pool.setCurrentIndex(page.pool.findData(pool))
    page.size_edit.setText("1")
    if fmt:
        page.format.setCurrentIndex(page.format.findData(fmt))
    _next(wizard, wait_until, PageId.NETWORK)
    _no_network(wizard)
    _next(wizard, wait_until, PageId.SUMMARY)
    _platform(wizard, name)


def _console_once_created(wizard: NewVmWizard, libvirt_conn: Any, name: str) -> list[SerialConsole]:
    """The serial console of VM ``name``, opened as soon as the wizard has
    created it, before the guest prints anything."""
    consoles: list[SerialConsole] = []
    wizard.created.connect(
        lambda _uuid: consoles.append(SerialConsole(libvirt_conn, libvirt_conn.lookupByName(name)))
    )
    return consoles


def _wait_ready(consoles: list[SerialConsole]) -> None:
    """The guest boots to its marker on the console opened at creation; it is closed after."""
    try:
        assert consoles, "the created signal opened no console"
        consoles[0].wait_for(READY_MARKER, BOOT_TIMEOUT)
    finally:
        for console in consoles:
            console.close()


def _boots_to_marker(libvirt_conn: Any, name: str) -> None:
    dom = libvirt_conn.lookupByName(name)
    assert dom.isActive()
    console = SerialConsole(libvirt_conn, dom)
    try:
        console.wait_for(READY_MARKER, BOOT_TIMEOUT)
    finally:
        console.close()


# ---------------------------------------------------------------- tests


def test_wizard_creates_a_direct_kernel_boot_vm_that_boots(
    open_connection: Callable[[str], Connection],
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    guests: list[str],
) -> None:
    conn = open_connection(TEST_URI)
    wizard = wizard_for(conn)
    name = new_guest_name()
    guests.append(name)
    # Open the console as soon as the VM exists, before the guest prints anything.
    consoles = _console_once_created(wizard, libvirt_conn, name)
    _kernel_vm(wizard, wait_until, name, str(guest_assets.kernel), str(guest_assets.initrd))
    _finish(wizard, wait_until)
    outcome = wizard.outcome
    assert outcome is not None and outcome.ok, wizard.summary_page.message.text()
    assert outcome.started and outcome.created == []
    _wait_ready(consoles)
    dom = Domain.from_xml(libvirt_conn.lookupByName(name).XMLDesc(0))
    assert dom.type == "qemu"
    assert dom.os.kernel == str(guest_assets.kernel)
    kinds = {type(d).__name__ for d in dom.devices}
    assert {"Serial", "Console", "Graphics", "Video"} <= kinds


def test_import_and_manual_install_vms_are_defined_and_start(
    open_connection: Callable[[str], Connection],
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    test_pool: ScratchPool,
    guests: list[str],
) -> None:
    conn = open_connection(TEST_URI)

    # Manual install: a new qcow2 volume in the test's pool.
    wizard = wizard_for(conn)
    manual = new_guest_name()
    guests.append(manual)
    _manual_vm(wizard, wait_until, manual, test_pool.name, "qcow2")
    _finish(wizard, wait_until)
    outcome = wizard.outcome
    assert outcome is not None and outcome.ok, wizard.summary_page.message.text()
    assert outcome.created == [f"{test_pool.name}/{manual}.qcow2"]
    assert f"{manual}.qcow2" in test_pool.volumes()
    assert libvirt_conn.lookupByName(manual).isActive()
    assert (test_pool.path / f"{manual}.qcow2").read_bytes()[:4] == b"QFI\xfb"

    # Import: an existing qcow2 image of the pool becomes the VM's disk.
    storage.create_volume(libvirt_conn, test_pool.name, "imported.qcow2", 0.5, "qcow2")
    wizard = wizard_for(conn)
    imported = new_guest_name()
    guests.append(imported)
    wizard.source_page.buttons[SourceKind.IMPORT].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.disk.edit.setText(str(test_pool.path / "imported.qcow2"))
    _next(wizard, wait_until, PageId.RESOURCES)
    _resources(wizard, wait_until)
    _next(wizard, wait_until, PageId.NETWORK)  # an import brings its own disk
    _no_network(wizard)
    _next(wizard, wait_until, PageId.SUMMARY)
    _platform(wizard, imported)
    _finish(wizard, wait_until)
    outcome = wizard.outcome
    assert outcome is not None and outcome.ok, wizard.summary_page.message.text()
    assert outcome.created == []
    dom = libvirt_conn.lookupByName(imported)
    assert dom.isActive()
    disks = [d for d in Domain.from_xml(dom.XMLDesc(0)).devices if type(d).__name__ == "Disk"]
    assert [(d.source, d.driver_type) for d in disks] == [
        (str(test_pool.path / "imported.qcow2"), "qcow2")
    ]


def test_a_failure_after_volume_creation_removes_only_the_new_volume(
    open_connection: Callable[[str], Connection],
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    test_pool: ScratchPool,
    guests: list[str],
) -> None:
    conn = open_connection(TEST_URI)
    existing = test_pool.add_file("existing.img", os.urandom(1024 * 1024))
    digest = hashlib.sha256(existing.read_bytes()).hexdigest()
    before = test_pool.volumes()

    wizard = wizard_for(conn)
    name = new_guest_name()
    guests.append(name)
    _manual_vm(wizard, wait_until, name, test_pool.name)
    wizard.summary_page.customize.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(lambda: wizard.xml_dialog is not None, 60, "the XML dialog")
    dialog = wizard.xml_dialog
    assert dialog is not None
    # The pre-existing disk is attached too, and the VM cannot start (its
    # kernel does not exist): the failure comes after the volume was created.
    edited = Domain.from_xml(dialog.text())
    edited.os.kernel = str(test_pool.path / "no-such-kernel")
    edited.devices.insert(
        1,
        Disk(source=str(existing), driver_type="raw", target_dev="vdb", target_bus="virtio"),
    )
    dialog.editor.setPlainText(edited.to_xml())
    dialog.accept()
    wait_until(lambda: wizard.outcome is not None, 180, "the attempt to finish")
    outcome = wizard.outcome
    assert outcome is not None and not outcome.ok
    assert outcome.failed_step is Step.START
    assert outcome.created == [f"{test_pool.name}/{name}.qcow2"]
    assert outcome.removed == outcome.created and outcome.leftover == []
    assert outcome.undefined and not outcome.domain_exists
    assert test_pool.volumes() == before
    assert not (test_pool.path / f"{name}.qcow2").exists()
    assert hashlib.sha256(existing.read_bytes()).hexdigest() == digest
    with pytest.raises(libvirt.libvirtError):
        libvirt_conn.lookupByName(name)
    text = wizard.summary_page.message.text()
    assert "could not be started" in text and "deleted again" in text


def test_a_symlink_to_a_block_device_becomes_a_block_disk_and_the_vm_starts(
    open_connection: Callable[[str], Connection],
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    loop_device: Callable[[bool], tuple[str, Path | None]],
    guests: list[str],
) -> None:
    """Before, the link was written as a file disk and QEMU refused it only
    after the VM was defined (which was then removed again)."""
    device, _point = loop_device(False)
    link = test_pool.path.parent / f"{test_pool.name}-fast-disk"  # where QEMU may look
    link.symlink_to(device)
    try:
        conn = open_connection(TEST_URI)
        wizard = wizard_for(conn)
        name = new_guest_name()
        guests.append(name)
        wizard.source_page.buttons[SourceKind.KERNEL].setChecked(True)
        _next(wizard, wait_until, PageId.MEDIA)
        wizard.media_page.kernel.edit.setText(str(guest_assets.kernel))
        wizard.media_page.initrd.edit.setText(str(guest_assets.initrd))
        wizard.media_page.cmdline.setText("console=ttyS0 quiet")
        _next(wizard, wait_until, PageId.RESOURCES)
        _resources(wizard, wait_until)
        _next(wizard, wait_until, PageId.STORAGE)
        wizard.storage_page.existing.setChecked(True)
        wizard.storage_page.path.edit.setText(str(link))
        wizard.button(QWizard.WizardButton.NextButton).click()
        wait_until(lambda: not wizard.storage_page.checking, 60, "the host check")
        warning = wizard.storage_page.message.text()
        assert f"“{link}” (that is {device}) is a whole disk of this host" in warning
        _next(wizard, wait_until, PageId.NETWORK)  # acknowledged
        _no_network(wizard)
        _next(wizard, wait_until, PageId.SUMMARY)
        _platform(wizard, name)
        _finish(wizard, wait_until)
        outcome = wizard.outcome
        assert outcome is not None and outcome.ok, wizard.summary_page.message.text()
        assert outcome.started
        dom = libvirt_conn.lookupByName(name)
        assert dom.isActive()
        disk = next(d for d in Domain.from_xml(dom.XMLDesc(0)).devices if isinstance(d, Disk))
        assert (disk.type, disk.source) == ("block", str(link))
    finally:
        link.unlink()


def test_a_creation_killed_after_the_volume_says_what_exists_and_removes_it(
    monkeypatch: pytest.MonkeyPatch,
    open_connection: Callable[[str], Connection],
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    test_pool: ScratchPool,
    guests: list[str],
) -> None:
    """libvirtd killed right after the new volume was created: not "the host
    refused the definition", but what exists, with the volume's removal offered."""
    conn = open_connection(TEST_URI)
    wizard = wizard_for(conn)
    name = new_guest_name()
    guests.append(name)
    _manual_vm(wizard, wait_until, name, test_pool.name)
    volume = f"{test_pool.name}/{name}.qcow2"
    fired = daemon.kill_after(monkeypatch, libvirt.virStoragePool, "createXML")
    wizard.button(QWizard.WizardButton.FinishButton).click()

    def reported() -> bool:
        return getattr(wizard, "leftover_box", None) is not None or wizard.outcome is not None

    try:
        wait_until(
            lambda: "checking" in wizard.summary_page.step.text() or reported(),
            120,
            "the lost link to be said",
        )
        checking = wizard.summary_page.step.text()
    finally:
        daemon.restart()
    assert fired, "the volume was never created"
    assert checking == (
        f"The connection was lost after step 2 of 4 (creating the disk image {volume}); checking…"
    ), wizard.summary_page.message.text()
    wait_until(reported, 120, "the report of what exists")
    box = wizard.leftover_box
    assert box is not None
    assert box.text() == (
        f"The connection was lost after step 2 of 4 (creating the disk image {volume})."
    )
    now = box.informativeText()
    assert f"The virtual machine “{name}” was not defined." in now
    assert f"The new disk image {volume} exists, unused." in now
    assert "refused" not in box.text() + now
    assert f"{name}.qcow2" in _volumes_now(test_pool.name)
    monkeypatch.undo()
    remove = next(b for b in box.buttons() if b.text() == "&Remove Disk Images")
    assert box.defaultButton() is not remove
    remove.click()
    wait_until(lambda: "was deleted" in wizard.summary_page.message.text(), 60, "the removal")
    assert f"{name}.qcow2" not in _volumes_now(test_pool.name)
    assert wizard.isVisible()  # nothing was created: the user can try again
    removal = conn.command_log.entries[-1]
    assert removal.command.lines == (
        ("virsh", "-c", TEST_URI, "vol-delete", "--vol", f"{name}.qcow2", "--pool", test_pool.name),
    )
    assert removal.outcome is Outcome.OK


def _volumes_now(pool: str) -> set[str]:
    """The pool's volumes, read on a new connection (the test's own died with the daemon)."""
    fresh = libvirt.open(TEST_URI)
    try:
        handle = fresh.storagePoolLookupByName(pool)
        handle.refresh(0)
        return set(handle.listVolumes())
    finally:
        fresh.close()


def test_the_wizard_over_ssh_creates_a_direct_kernel_boot_vm(
    ssh_bed: Any,
    open_connection: Callable[[str], Connection],
    wizard_for: Callable[[Connection], NewVmWizard],
    wait_until: WaitUntil,
    libvirt_conn: Any,
    guest_assets: GuestAssets,
    test_pool: ScratchPool,
    guests: list[str],
) -> None:
    conn = open_connection(f"qemu+ssh://{HOST}/system")
    kernel = test_pool.copy_in(guest_assets.kernel)
    initrd = test_pool.copy_in(guest_assets.initrd)
    wizard = wizard_for(conn)
    assert wizard.facts is not None and wizard.facts.remote
    name = new_guest_name()
    guests.append(name)
    consoles = _console_once_created(wizard, libvirt_conn, name)
    wizard.source_page.buttons[SourceKind.KERNEL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    # A remote host's files come from its storage pools, never from this disk.
    wizard.media_page.kernel.edit.setText(str(guest_assets.kernel))
    wizard.button(QWizard.WizardButton.NextButton).click()
    media = wizard.media_page
    wait_until(lambda: not media.checking and "Checking" not in media.message.text(), 60)
    assert wizard.currentId() == PageId.MEDIA
    assert "storage pool" in media.message.text()
    wizard.back()
    wait_until(lambda: wizard.currentId() == PageId.SOURCE, 10)
    _kernel_vm(wizard, wait_until, name, str(kernel), str(initrd))
    _finish(wizard, wait_until)
    outcome = wizard.outcome
    assert outcome is not None and outcome.ok, wizard.summary_page.message.text()
    _wait_ready(consoles)
