"""The wizard's summary page shows the defaults for the OS on this host, what
degrades and why, and what changes after the install; the VM it creates
carries its second phase.

tests/data/create.xml (test driver: no domain capabilities, so no UEFI, no
swtpm): pool "images" with installer.iso and pre.qcow2, pool "boot" with
vmlinuz and initrd.img (in /srv/boot).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import libvirt
import pytest
from PySide6.QtWidgets import QWizard

from kvmdesk.core.connection import Connection
from kvmdesk.domxml import Disk, Domain
from kvmdesk.domxml.install import SourceKind
from kvmdesk.domxml.install_marker import pending
from kvmdesk.ui.new_vm.pages import PageId
from kvmdesk.ui.new_vm.wizard import NewVmWizard
from kvmdesk.virt.storage import volume_xml

try:  # the wizard tests' fixtures: a private create.xml host, wizards closed afterwards
    from .test_new_vm_wizard import _next, conn, make_wizard
except ImportError:
    from test_new_vm_wizard import _next, conn, make_wizard  # type: ignore[no-redef]

__all__ = ["conn", "make_wizard"]  # fixtures used by name

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

Run = Callable[..., Any]
WaitUntil = Callable[..., None]
OSINFO = Path("/usr/share/osinfo")
ISO = "/var/lib/libvirt/images/installer.iso"


def _iso_to_summary(wizard: NewVmWizard, wait_until: WaitUntil, os_id: str = "") -> None:
    _next(wizard, wait_until, PageId.MEDIA)
    wizard.media_page.iso.edit.setText(ISO)
    if os_id:
        wizard.media_page.search.setText(os_id)
        assert wizard.media_page.select_os(os_id)
    _next(wizard, wait_until, PageId.RESOURCES)
    wizard.resources_page.memory.setText("512")
    wizard.resources_page.vcpus.setText("1")
    _next(wizard, wait_until, PageId.STORAGE)
    wizard.storage_page.existing.setChecked(True)
    wizard.storage_page.path.edit.setText("/var/lib/libvirt/images/pre.qcow2")
    _next(wizard, wait_until, PageId.NETWORK)
    _next(wizard, wait_until, PageId.SUMMARY)


def _rows(wizard: NewVmWizard) -> dict[str, tuple[str, str]]:
    return wizard.summary_page.defaults.rows()


def _finish(wizard: NewVmWizard, wait_until: WaitUntil) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wait_until(lambda: wizard.outcome is not None, what="creation")
    assert wizard.outcome is not None and wizard.outcome.ok, wizard.summary_page.message.text()


def _stored(run: Run, conn: Connection, name: str) -> str:
    flags = libvirt.VIR_DOMAIN_XML_INACTIVE
    return str(run(conn.call(lambda c: c.lookupByName(name).XMLDesc(flags))))


def test_the_summary_shows_the_defaults_and_the_second_phase(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    wizard = make_wizard()  # no osinfo database: generic Linux
    _iso_to_summary(wizard, wait_until)
    page = wizard.summary_page
    rows = _rows(wizard)
    assert rows["Disk bus"][0] == "virtio"
    assert rows["Clock"][0] == "utc"
    assert rows["Guest agent channel"][0] == "on"
    assert rows["Discard"][0] == "unmap" and "freed" in rows["Discard"][1]
    assert page.defaults.warnings.isVisible()
    assert "does not know this OS" in page.defaults.warnings.text()
    after = page.defaults.after.text()
    assert "boots from its disk" in after and "ejected" in after
    assert page.keep_media.isVisible() and not page.keep_media.isChecked()
    page.name.setText("second phase")
    _finish(wizard, wait_until)
    xml = _stored(run, conn, "second phase")
    marker = pending(xml)
    assert marker is not None and marker.boot_to == ("hd",)
    assert [e.source for e in marker.eject] == [ISO]
    assert Domain.from_xml(xml).on_reboot == "destroy"


def test_keeping_the_media_is_the_users_choice(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    wizard = make_wizard()
    _iso_to_summary(wizard, wait_until)
    page = wizard.summary_page
    page.keep_media.click()
    assert page.keep_media.isChecked()
    assert wizard.plan().keep_media is True
    assert "stays in its drive" in page.defaults.after.text()
    marker = pending(wizard.plan_xml())
    assert marker is not None and marker.eject == ()


@pytest.mark.skipif(not (OSINFO / "os").is_dir(), reason="osinfo-db is not installed")
def test_windows_11_on_a_host_without_uefi_or_swtpm_says_so(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    wizard = make_wizard([OSINFO])
    _iso_to_summary(wizard, wait_until, "win11")
    page = wizard.summary_page
    warnings = page.defaults.warnings.text()
    assert "UEFI" in warnings and "swtpm" in warnings
    rows = _rows(wizard)
    assert rows["Clock"][0] == "localtime"
    assert rows["Network card"][0] in ("e1000e", "e1000")
    assert page.keep_media.isChecked()  # Windows setup reads its media again
    assert "virtio-win.iso" in warnings  # no drivers ISO on this host: said how to get one
    assert not page.drivers.isVisible()


@pytest.mark.skipif(not (OSINFO / "os").is_dir(), reason="osinfo-db is not installed")
def test_the_virtio_drivers_iso_in_a_pool_is_offered_for_windows(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil, run: Run, conn: Connection
) -> None:
    run(
        conn.call(
            lambda c: c.storagePoolLookupByName("images").createXML(
                volume_xml("virtio-win-0.1.240.iso", 1024**2, "raw"), 0
            )
        )
    )
    wizard = make_wizard([OSINFO])
    wait_until(lambda: bool(wizard.virtio_win), what="the drivers ISO found")
    _iso_to_summary(wizard, wait_until, "win10")
    page = wizard.summary_page
    assert page.drivers.isVisible() and not page.drivers.isChecked()
    assert "virtio-win-0.1.240.iso" in page.drivers.text()
    assert _rows(wizard)["Disk bus"][0] != "virtio"
    page.drivers.click()
    assert _rows(wizard)["Disk bus"][0] == "virtio"
    assert "Load driver" in _rows(wizard)["Disk bus"][1]
    dom = Domain.from_xml(wizard.plan_xml())
    cdroms = [d.source for d in dom.devices if isinstance(d, Disk) and d.device == "cdrom"]
    assert cdroms == [ISO, "/var/lib/libvirt/images/virtio-win-0.1.240.iso"]


def test_a_kernel_with_install_media_and_a_disk_installs_then_boots_the_disk(
    make_wizard: Callable[..., NewVmWizard], wait_until: WaitUntil
) -> None:
    wizard = make_wizard()
    wizard.source_page.buttons[SourceKind.KERNEL].setChecked(True)
    _next(wizard, wait_until, PageId.MEDIA)
    media = wizard.media_page
    media.kernel.edit.setText("/srv/boot/vmlinuz")
    media.initrd.edit.setText("/srv/boot/initrd.img")
    media.kernel_media.edit.setText(ISO)
    _next(wizard, wait_until, PageId.RESOURCES)
    _next(wizard, wait_until, PageId.STORAGE)
    wizard.storage_page.existing.setChecked(True)
    wizard.storage_page.path.edit.setText("/var/lib/libvirt/images/pre.qcow2")
    _next(wizard, wait_until, PageId.NETWORK)
    _next(wizard, wait_until, PageId.SUMMARY)
    after = wizard.summary_page.defaults.after.text()
    assert "Direct kernel boot is removed" in after and "boots from its disk" in after
    marker = pending(wizard.plan_xml())
    assert marker is not None and marker.kernel is not None
    media.kernel_permanent.setChecked(True)
    assert pending(wizard.plan_xml()) is None  # the kernel is how it boots: one definition
